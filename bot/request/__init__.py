"""The certificate request: its persons (`persons`), its questions (`questions`) and the
state machine that steers it (`flow`)."""
