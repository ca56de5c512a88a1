"""Everything that imports Rasa: graph components, the server with in-process actions, tracker
stores, channels (one socketio fix), limits, the checked REST channel, Twilio, and the
production subclasses (`prod`)."""
