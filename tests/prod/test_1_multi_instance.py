"""Two Rasa instances, one conversation: the state lives in PostgreSQL, turns are locked in Redis."""
from tests.prod.util import REQUEST, check_request_dossier, new_sender


def test_conversation_alternating_between_instances_completes_a_request(prod):
    assert len(prod.rasa_urls) >= 2
    sender = new_sender("alt")
    replies = prod.converse(sender, REQUEST, prod.rasa_urls)
    check_request_dossier(prod, replies[-1], sender)


def test_conversation_through_nginx_round_robin(prod):
    sender = new_sender("lb")
    replies = prod.converse(sender, REQUEST, [prod.public_url])
    check_request_dossier(prod, replies[-1], sender)
    # the load was shared: both instances answered this conversation
    log = (prod.var_dir / "logs" / "nginx-access.log").read_text()
    for url in prod.rasa_urls:
        assert url.replace("http://", "") in log
