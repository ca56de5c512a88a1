"""nginx limits the request rate per client: 429 with a JSON body beyond the burst."""
import time
from concurrent.futures import ThreadPoolExecutor

import requests


def test_burst_beyond_the_limit_gets_429(prod):
    def post(_):
        resp = requests.post(prod.public_url + "/webhooks/rest/webhook", data=b"{}",
                             headers={"Content-Type": "application/json"}, timeout=30)
        return resp.status_code, resp.text

    with ThreadPoolExecutor(32) as pool:
        results = list(pool.map(post, range(300)))
    codes = {code for code, _ in results}
    assert codes <= {400, 429}, codes
    assert 429 in codes
    for code, text in results:
        assert "Traceback" not in text
        if code == 429:
            assert '"too_many_requests"' in text
    time.sleep(3)  # the bucket refills
    resp = requests.post(prod.public_url + "/webhooks/rest/webhook", json={"sender": "after-burst", "message": "Bonjour"},
                         timeout=30)
    assert resp.status_code == 200
