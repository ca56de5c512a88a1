import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.validators import email as E


@pytest.mark.parametrize("text, expected", [
    ("jean.dupont@post.lu", "jean.dupont@post.lu"),
    ("  Jean.Dupont@Example.LU ", "Jean.Dupont@example.lu"),
    ("<jean@cns.lu>", "jean@cns.lu"),
    ("jean@cns.lu.", "jean@cns.lu"),
    ("(jean@cns.lu),", "jean@cns.lu"),
    ("mailto:jean@cns.lu", "jean@cns.lu"),
    ("jean+cns@gmail.com", "jean+cns@gmail.com"),
    ("o'brien@mail.co.uk", "o'brien@mail.co.uk"),
    ("a@müller.de", "a@müller.de"),
    ("a@xn--mller-kva.de", "a@xn--mller-kva.de"),
    ("josé@exemple.fr", "josé@exemple.fr"),
    ("x_y-z@sub.domain-name.museum", "x_y-z@sub.domain-name.museum"),
])
def test_valid(text, expected):
    assert E.validate(text) == expected
    assert E.is_valid(text)


@pytest.mark.parametrize("text, code", [
    ("jean.dupont", "format"),
    ("jean@@cns.lu", "format"),
    ("@cns.lu", "format"),
    ("jean dupont@cns.lu", "format"),
    ("a..b@cns.lu", "format"),
    (".a@cns.lu", "format"),
    ("a.@cns.lu", "format"),
    ("a" * 65 + "@cns.lu", "format"),
    ("jean@localhost", "domain"),
    ("jean@cns.l", "domain"),
    ("jean@cns.123", "domain"),
    ("jean@-cns.lu", "domain"),
    ("jean@cns-.lu", "domain"),
    ("jean@cns..lu", "domain"),
    ("jean@", "domain"),
    ("jean@cns_lu.lu", "domain"),
])
def test_invalid(text, code):
    with pytest.raises(E.InvalidEmail) as exc:
        E.validate(text)
    assert exc.value.code == code
    assert not E.is_valid(text)


def test_find():
    text = "Mon mail : <Jean.Dupont@Post.LU>, sinon a@b.lu. Pas @twitter."
    found = E.find(text)
    assert [v for _, _, v in found] == ["Jean.Dupont@post.lu", "a@b.lu"]
    for start, end, _ in found:
        assert "@" in text[start:end]
    assert text[found[0][0]:found[0][1]] == "Jean.Dupont@Post.LU"
    assert text[found[1][0]:found[1][1]] == "a@b.lu"


def test_find_reports_invalid_candidates():
    (s, e, v), = E.find("write to jean@cns please")
    assert v == "jean@cns" and not E.is_valid(v)
    assert E.find("no address here, 14h30") == []


_label = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
_local = st.from_regex(r"[A-Za-z0-9_+-]{1,10}(?:\.[A-Za-z0-9_+-]{1,10}){0,2}",
                       fullmatch=True)
_tld = st.from_regex(r"[a-z]{2,6}", fullmatch=True)


@given(_local, st.lists(_label, min_size=1, max_size=3), _tld)
def test_generated_addresses_are_valid_and_found(local, labels, tld):
    addr = "%s@%s.%s" % (local, ".".join(labels), tld)
    assert E.validate(addr) == addr
    text = "Contact: %s, merci" % addr
    found = E.find(text)
    assert [v for _, _, v in found] == [addr]
