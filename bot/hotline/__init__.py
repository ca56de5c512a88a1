"""The hotline console: its pages (`console`, templates in `templates/`), the agents' passwords
(`passwords`), and the intake that turns the agent's form into a request for the one builder."""
