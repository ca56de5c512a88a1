"""bot.rules and the YAML data behind it."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import countries, reference, rules
from bot.rules import (Advice, UnknownCountryError, UnknownProfileError, explain, find_funds,
                       form_for, group_of, may_request_for, needs_household_certificate,
                       regime_of, resolve_fund)

EU27 = ["AT", "BE", "BG", "HR", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


# --- convention countries, every profile ------------------------------------------

# code: {profile: (procedure, form code, eligible for the online request, lead time)}
CONVENTION = {
    # the 15 days apply to every form order (CNS page "vacances hors UE/EEE/Suisse", checked 2026-12-05)
    "BA": {"stay": ("online_request", "LU/BIH111", True, 15),
           "study": ("online_request", "LU/BIH111", True, 15),
           "posting": ("employer_ccss", "YL-4", True, 15)},
    "CV": {"stay": ("online_request", "LCV/5", True, 15),
           "study": ("online_request", "LCV/5", True, 15),
           "posting": ("employer_ccss", "LCV/5", True, 15)},
    "MA": {"stay": ("online_request", "L/M8", True, 15),
           "study": ("online_request", "L/M8", True, 15),
           "posting": ("employer_ccss", "L/M8", True, 15)},
    "CA-QC": {"stay": ("reimbursement", None, False, None),
              "study": ("online_request", "LUX QUE 4", True, 15),
              "posting": ("employer_ccss", "LUX QUE 4", True, 15)},
    "TN": {"stay": ("online_request", "T/L", True, 15),
           "study": ("online_request", "T/L", True, 15),
           "posting": ("employer_ccss", "T/L", True, 15)},
    "TR": {"stay": ("online_request", "TR/L-3", True, 15),
           "study": ("online_request", "TR/L-3", True, 15),
           "posting": ("employer_ccss", "TR/L-3", True, 15)},
    "RS": {"stay": ("ehic", "EHIC", False, None),
           "study": ("ehic", "EHIC", False, None),
           "posting": ("employer_ccss", "SCG/L-106", False, None)},
    "ME": {"stay": ("ehic", "EHIC", False, None),
           "study": ("ehic", "EHIC", False, None),
           "posting": ("employer_ccss", "MNE/L-106", False, None)},
    "MK": {"stay": ("ehic", "EHIC", False, None),
           "study": ("ehic", "EHIC", False, None),
           "posting": ("employer_ccss", "L/RM-106", False, None)},
}


@pytest.mark.parametrize("code,profile", [(c, p) for c in CONVENTION for p in rules.PROFILES])
def test_convention_countries(code, profile):
    procedure, form_code, eligible, lead = CONVENTION[code][profile]
    advice = explain(code, profile)
    assert advice.group == "convention"
    assert advice.procedure == procedure
    assert advice.eligible_for_online_request is eligible
    assert advice.lead_time_days == lead
    if form_code is None and code == "CA-QC":
        assert advice.form is None
    else:
        assert advice.form is not None and advice.form.code == form_code
    if procedure == "online_request":
        assert advice.delivery is not None
        assert advice.delivery["without_authentication"]["channel"] == "post"
        assert advice.delivery["with_authentication"]["channel"] == "myguichet_espace"
        assert advice.delivery["with_authentication"]["usual_days"] == 3
        assert advice.how_to_request["url"] == (
            "https://guichet.public.lu/fr/support/form_both.html?serviceType=CCSS_CNS_ATTEST_SEJOUR_TEMPORAIRE")
    else:
        assert advice.delivery is None
    if profile == "posting":
        assert advice.posting["group"] == "convention"
        assert advice.posting["max_months"] == 12
        docs = [d["document"] for d in advice.posting["documents"]]
        assert "certificat_assujettissement" in docs and "country_form" in docs
    else:
        assert advice.posting is None


def test_bosnia_keeps_both_codes():
    stay = explain("Bosnie", "stay")
    assert stay.form.code == "LU/BIH111"  # the CNS page's spelling (checked 2026-12-05)
    assert set(stay.form.codes) == {"LU/BIH111", "LU/BIH 111", "YL-4"}
    assert "LU/BIH111" in stay.form.written
    assert stay.form.online_procedure_code == "LU/BIH111"
    posting = explain("BA", "posting")
    assert posting.form.code == "YL-4"
    assert posting.posting["country_form"] == "YL-4"
    assert posting.how_to_request["worker"]["online_alternative"] == "LU/BIH111"


def test_form_codes_and_spellings():
    assert "T/L" in explain("TN").form.written
    assert "MNE/L106" in explain("ME", "posting").form.written
    assert "L-RM-106" in explain("MK", "posting").form.written
    morocco = explain("Maroc", "stay")
    assert morocco.form.code == "L/M8" and morocco.form.codes == ("L/M8",)
    assert any("no seed gives its form code" in n for n in morocco.form.notes)  # the seed's fact is kept
    assert "morocco_no_form_code" not in [c["key"] for c in morocco.caveats]
    assert "cns_abroad" in morocco.sources


def test_current_codes_keep_the_seed_codes_with_their_dates():
    entry = reference.forms()["forms"]["temporary_stay_tn"]
    by_source = {(c["code"], c["source"]): c for c in entry["codes"]}
    assert by_source[("T/L", "cns_abroad")]["checked"] == "2026-12-05"
    assert by_source[("T/L 4", "posted")]["date"] == "2012-09-10"
    assert explain("TN").form.code == "T/L"
    for key in ("cns_abroad", "cns_unplanned", "ccss_art12", "cns_card"):
        src = reference.sources()[key]
        assert src["url"].startswith("https://") and src["checked"] == "2026-12-05"


def test_morocco_caveat_returns_while_its_code_is_unknown(monkeypatch):
    def forms():
        data = reference.thaw(reference.load("forms"))
        data["forms"]["temporary_stay_ma"]["code"] = None
        data["forms"]["temporary_stay_ma"]["codes"] = []
        return reference.freeze(data)
    monkeypatch.setattr(reference, "forms", forms)
    advice = explain("MA", "stay")
    assert advice.form.code is None and "morocco_no_form_code" in [c["key"] for c in advice.caveats]
    assert form_for("MA") is None


@pytest.mark.parametrize("profile", [None, "stay", "study", "posting", "holiday", "student"])
def test_lead_days_for_every_form_order(profile):
    assert rules.lead_days(profile) == 15
    assert rules.lead_days(profile, "TR") == 15 and rules.lead_days(profile, "Maroc") == 15
    assert rules.lead_days(profile, "PT") is None and rules.lead_days(profile, "TH") is None


def test_lead_days_read_from_the_data(monkeypatch):
    def regimes():
        data = reference.thaw(reference.load("regimes"))
        data["lead_time"]["days"] = 21
        data["lead_time"]["profiles"] = ["study"]
        return reference.freeze(data)
    monkeypatch.setattr(reference, "regimes", regimes)
    assert rules.lead_days("study") == 21 and rules.lead_days("stay") is None
    with pytest.raises(rules.UnknownProfileError):
        rules.lead_days("sabbatical")


@pytest.mark.parametrize("code,expected", [
    ("BA", "LU/BIH111"), ("CV", "LCV/5"), ("MA", "L/M8"), ("CA-QC", "LUX QUE 4"),
    ("TN", "T/L"), ("TR", "TR/L-3"), ("RS", None), ("ME", None), ("MK", None),
    ("FR", None), ("HR", None), ("TH", None), ("GB", None), ("LU", None), ("CA", None),
])
def test_form_for(code, expected):
    assert form_for(code) == expected


def test_serbia_montenegro_macedonia_keep_both_facts():
    advice = explain("Serbie", "stay")
    sources = {n["source"] for n in advice.notes}
    assert {"salarie-detache-etranger.fr.txt", "notes/rasa-3.6.md"} <= sources
    assert any(n["date"] == "2012-09-10" for n in advice.notes)
    posting = explain("Nordmazedonien", "posting")
    assert posting.how_to_request["to"] == "CCSS"
    assert posting.how_to_request["worker"]["form"] == "L/RM-106"


# --- Quebec ----------------------------------------------------------------------------

def test_quebec_holiday_is_not_covered_but_studies_are():
    holiday = explain("Québec", "holiday")
    assert holiday.country_code == "CA-QC"
    assert holiday.procedure == "reimbursement"
    assert holiday.eligible_for_online_request is False
    assert holiday.reimbursement["rates"] == "luxembourg"
    assert holiday.reimbursement["reason"]["same_as"] == "no_convention"
    assert "quebec_not_studies" in [c["key"] for c in holiday.caveats]
    assert "cns-espace-assure-edelivery.en.txt" in holiday.sources
    study = explain("Montréal", "student", "fr")
    assert study.procedure == "online_request" and study.form.code == "LUX QUE 4"
    assert study.country_name == "Québec"
    assert study.lead_time_days == 15


def test_canada_alone_has_no_convention():
    advice = explain("Kanada")
    assert advice.group == "no_convention" and advice.procedure == "reimbursement"


# --- EU / EEA / CH / UK / others ---------------------------------------------------------

def test_eu_members_are_27():
    assert sorted(reference.regimes()["groups"]["eu"]["members"]) == sorted(EU27)


@pytest.mark.parametrize("code", [c for c in EU27 if c != "LU"])
def test_eu_gives_ehic(code):
    for profile in ("stay", "study"):
        advice = explain(code, profile)
        assert advice.group == "eu" and advice.regime == "ehic"
        assert advice.procedure == "ehic" and advice.form.code == "EHIC"
        assert advice.reimbursement["rates"] == "place_of_stay"
    posting = explain(code, "posting")
    assert posting.procedure == "employer_ccss" and posting.form.code == "S1"
    assert posting.posting["max_months"] == 24


@pytest.mark.parametrize("code,group", [("IS", "eea"), ("LI", "eea"), ("NO", "eea"), ("CH", "ch")])
def test_eea_and_switzerland_give_ehic(code, group):
    advice = explain(code)
    assert advice.group == group and advice.procedure == "ehic"
    posting = explain(code, "posting")
    # today: article 12 posting with the A1 up to 24 months, S1 (ccss_art12, cns_s1; checked 2026-12-05)
    assert posting.form.code == "S1"
    assert posting.posting["group"] == "eu" and posting.posting["max_months"] == 24


def test_croatia_is_eu_and_hr_l_106_historical():
    advice = explain("Croatie")
    assert advice.group == "eu" and advice.procedure == "ehic"
    assert any("HR/L-106" in n["note"] for n in advice.notes)
    hist = rules.form("hr_l_106")
    assert hist.historical and hist.code == "HR/L-106"
    posting = explain("Kroatien", "posting")
    assert posting.form.code == "S1"
    assert posting.posting["historical_form"]["code"] == "HR/L-106"


def test_ehic_how_to_mentions_provisional_certificate():
    how = explain("Belgique").how_to_request
    assert how["issuer"] == "CNS"
    prc = how["provisional_replacement_certificate"]
    assert prc["channel"] == "myguichet" and prc["edelivery"] is True


def test_uk_accepts_the_ehic():
    advice = explain("Royaume-Uni", "study", "fr")
    assert advice.regime == "uk" and advice.group == "uk"
    assert advice.procedure == "ehic" and advice.form.code == "EHIC"
    assert [c["key"] for c in advice.caveats] == ["brexit_uk"]
    assert "Brexit" in advice.caveats[0]["label"] and "acceptée" in advice.caveats[0]["label"]
    assert advice.caveats[0]["source"] == "cns_unplanned"
    # both facts kept: the seed's warning and the current CNS page
    assert {n["source"] for n in advice.notes} >= {"etudiant-affiliation-soins-etranger.fr.txt", "cns_unplanned"}
    assert advice.reimbursement["rates"] == "place_of_stay"
    posting = explain("GB", "posting")
    assert posting.posting["group"] == "eu" and posting.posting["max_months"] == 24
    assert posting.form.code == "S1"
    assert explain("England").country_code == "GB"


def test_thailand_has_no_convention():
    advice = explain("Thaïlande", "stay", "fr")
    assert advice.group == "no_convention" and advice.regime == "no_convention"
    assert advice.procedure == "reimbursement"
    assert advice.form is None and advice.eligible_for_online_request is False
    reimb = advice.reimbursement
    assert reimb["advance_costs"] is True and reimb["rates"] == "luxembourg"
    assert reimb["luxembourg_nomenclature_only"] is True
    assert reimb["complementary_insurance"] == "may_be_worthwhile"
    docs = {d["document"]: d for d in reimb["documents"]}
    assert set(docs) == {"identity_and_matricule", "bank_details", "paid_original_invoice",
                         "proof_of_payment_bank_statement"}
    assert docs["bank_details"]["when"] == "first_request_or_change"
    assert [i["key"] for i in reimb["insufficient"]] == ["transfer_order_alone"]


def test_luxembourg_is_home():
    advice = explain("Luxembourg")
    assert advice.group == "home" and advice.procedure == "none"
    assert advice.form is None and advice.reimbursement is None


def test_territory_caveat():
    advice = explain("Guadeloupe")
    assert advice.group == "no_convention"
    caveat = [c for c in advice.caveats if c["key"] == "territory"][0]
    assert caveat["state"] == "FR" and caveat["state_group"] == "eu"


def test_group_and_regime_of():
    assert group_of("LU") == "home" and regime_of("LU") == "home"
    assert group_of("HR") == "eu" and regime_of("HR") == "ehic"
    assert group_of("NO") == "eea" and group_of("CH") == "ch" and group_of("GB") == "uk"
    assert group_of("CA-QC") == "convention" and regime_of("CA-QC") == "convention_online"
    assert regime_of("RS") == "convention_106"
    assert group_of("TH") == "no_convention"
    with pytest.raises(UnknownCountryError):
        group_of("QQ")


# --- posting rules -------------------------------------------------------------------------

def test_posting_eu():
    p = explain("France", "posting").posting
    assert p["max_months"] == 24
    assert p["prior_affiliation_min_months"] == 1
    assert p["new_posting_waiting_period_months"] == {"same_state": 2, "other_state": 1}
    assert p["extension"]["to"] == "ministry_social_security"
    assert "883/2004" in p["extension"]["legal_basis"]
    docs = [d["document"] for d in p["documents"]]
    assert docs == ["demande_attestation_travail_etranger", "a1", "s1"]
    assert p["reimbursement_rates"] == "place_of_stay"


def test_posting_eea_ch_is_article_12_today():
    p = explain("Suisse", "posting").posting
    assert p["max_months"] == 24 and p["group"] == "eu"
    assert [d["document"] for d in p["documents"]][1:] == ["a1", "s1"]
    # the seed's 2012 group is kept, marked historical
    seed = reference.regimes()["posting"]["groups"]["eea_ch"]
    assert seed["historical"] is True and seed["superseded_by"] == "eu" and seed["max_months"] == 12
    for key in ("e101", "e102", "e106"):
        assert rules.form(key).historical


def test_posting_convention_keeps_heading_note():
    p = explain("Tunisie", "posting").posting
    assert p["max_months"] == 12
    assert "24" in p["max_months_note"]
    assert p["country_form"] == "T/L"
    assert explain("MA", "posting").posting["country_form"] == "L/M8"
    assert p["reimbursement_rates"] == "place_of_stay"


def test_posting_no_convention():
    advice = explain("Japon", "posting")
    p = advice.posting
    assert p["max_months"] == 12
    assert p["extension"]["renew"] == "yearly"
    assert p["extension"]["max_total_months"] == 60
    assert p["extension"]["decided_by_from_year"] == {"year": 3, "body": "ccss_board"}
    assert p["reimbursement_rates"] == "luxembourg"
    assert p["reimbursement"]["third_party_payment"]["requires"] == "host_registration_certificate"
    assert advice.reimbursement["posted_worker"]["rates"]["no_convention"] == "luxembourg"


def test_posting_rules_by_code():
    assert rules.posting_rules("LU") is None
    assert rules.posting_rules("GB")["group"] == "eu"  # article 12 includes the UK (ccss_art12)
    assert rules.posting_rules("DE")["max_months"] == 24


# --- students -------------------------------------------------------------------------------

def test_student_rules_data():
    study = reference.regimes()["study"]
    assert study["lead_time_days"] == 15
    aff = study["affiliation"]
    assert aff["voluntary_continuation"]["min_prior_continuous_months"] == 6
    assert aff["voluntary_continuation"]["deadline_months"] == 3
    assert aff["compulsory_student_insurance"]["regularisation_cap_multiple_of_minimum_wage"] == 5
    assert aff["compulsory_student_insurance"]["contribution_base"] == "social_minimum_wage"
    assert aff["coinsured"]["condition"] == "main_insured_receives_child_tax_reduction"
    assert aff["referring_doctor"]["min_age_exclusive"] == 18


def test_study_facts_in_advice():
    study = explain("Cap-Vert", "étudiant").study
    assert study["host_registration"].startswith("register with the host institution with the form")
    assert "requester_matricule" in study["online_request_needs"]
    assert study["affiliation"]["voluntary_continuation"]["request_to"] == "CCSS"
    assert explain("Espagne", "study").study["host_registration"].startswith("register with the host institution with the card")
    assert explain("Brésil", "study").study["reimbursement"] == "luxembourg_rates"
    assert explain("Brésil", "stay").study is None


def test_study_no_lead_time_outside_online_procedure():
    assert explain("Allemagne", "study").lead_time_days is None
    assert explain("Japan", "study").lead_time_days is None
    assert explain("Serbia", "study").lead_time_days is None


# --- requesters and funds -----------------------------------------------------------------------

@pytest.mark.parametrize("status,relation,coinsured,expected", [
    ("main", "self", True, True),
    ("coinsured", "self", True, True),
    ("main", "spouse", True, True),
    ("main", "partner", True, True),
    ("main", "spouse", False, False),
    ("main", "parent", True, True),
    ("coinsured", "spouse", True, False),
    ("coinsured", "parent", True, False),
    ("coinsured", "other", True, False),
    ("coinsured", "child", True, True),
    ("main", "child", True, True),
    ("main", "child", False, False),
])
def test_may_request_for(status, relation, coinsured, expected):
    assert may_request_for(status, relation, coinsured) is expected


def test_may_request_for_rejects_unknown_values():
    with pytest.raises(ValueError):
        may_request_for("boss", "self")
    with pytest.raises(ValueError):
        may_request_for("main", "cousin")


@pytest.mark.parametrize("residence,expected", [
    ("LU", False), ("Luxembourg", False), ("Luxemburg", False),
    ("FR", True), ("Belgique", True), ("Deutschland", True), ("Portugal", True),
])
def test_household_certificate(residence, expected):
    assert needs_household_certificate(residence) is expected


@pytest.mark.parametrize("text,code", [
    ("CNS", "CNS"), ("cns", "CNS"), ("Caisse nationale de santé", "CNS"), ("Gesondheetskees", "CNS"),
    ("Nationale Gesundheitskasse", "CNS"), ("caisse nationale de sante", "CNS"),
    ("CMFEP", "CMFEP"), ("Caisse de maladie des fonctionnaires et employés publics", "CMFEP"),
    ("CMFEC", "CMFEC"), ("Caisse de maladie des fonctionnaires et employés communaux", "CMFEC"),
    ("EMCFL", "EM-CFL"), ("EM-CFL", "EM-CFL"), ("Entraide médicale CFL", "EM-CFL"),
    ("Entraide médicale des CFL", "EM-CFL"), ("CFL", "EM-CFL"),
    ("je suis assuré à la CMFEP", "CMFEP"),
    ("Caisse de maladie", None), ("Atlantis", None), ("", None),
])
def test_resolve_fund(text, code):
    assert resolve_fund(text) == code


def test_find_funds():
    text = "Mon mari est à la CMFEP, mon fils coassuré auprès de la Caisse nationale de santé."
    found = find_funds(text)
    assert [(m.text, m.code) for m in found] == [("CMFEP", "CMFEP"), ("Caisse nationale de santé", "CNS")]
    assert text[found[1].start:found[1].end] == "Caisse nationale de santé"
    assert find_funds("ich bin bei der Entraide médicale des CFL")[0].code == "EM-CFL"
    assert find_funds("nothing to see here") == []
    assert rules.competent_fund("CNS") == "CNS"
    assert rules.fund_name("CMFEP", "fr") == "Caisse de maladie des fonctionnaires et employés publics"


def test_contacts():
    assert rules.contact("cns")["phone"] == "(+352) 27 57-1"
    assert rules.contact("cns")["fax"] == "(+352) 27 57 27-58"
    assert rules.contact("cns")["address"] == ("125, route d'Esch", "L-2980 Luxembourg")
    assert rules.contact("cns_coinsurance")["phone"] == "2757-4240"
    assert rules.contact("myguichet_helpdesk")["url"] == (
        "https://guichet.public.lu/fr/support/contact/contact_guichet.html")
    assert rules.contact("cnpd")["address"] == ("15, boulevard du Jazz", "L-4370 Belvaux")
    assert rules.contact("cnpd")["url"] is None
    assert rules.contact("cns_brexit_faq")["url"] is None
    urls = [c.get("url") for c in reference.contacts()["contacts"].values()]
    assert {u for u in urls if u} == {
        "https://guichet.public.lu/fr/support/contact/contact_guichet.html",
        "https://guichet.public.lu/fr/support/form_both.html?serviceType=CCSS_CNS_ATTEST_SEJOUR_TEMPORAIRE",
    }


# --- explain(): inputs, errors, JSON ---------------------------------------------------------

def test_explain_accepts_names_and_codes():
    assert explain("tr").country_code == "TR"
    assert explain("ca-qc", "study").country_code == "CA-QC"
    assert explain("Türkei", "student", "de").country_name == "Türkei"
    assert explain("Turquie", "études", "fr").profile == "study"
    assert explain("Tunesie", "posted").profile == "posting"


def test_explain_errors():
    with pytest.raises(UnknownCountryError) as err:
        explain("Atlantis")
    assert err.value.query == "Atlantis"
    with pytest.raises(UnknownProfileError):
        explain("TR", "sabbatical")
    with pytest.raises(ValueError):
        explain("TR", "stay", "it")


def test_advice_is_frozen():
    advice = explain("TR")
    assert isinstance(advice, Advice)
    with pytest.raises(Exception):
        advice.procedure = "none"
    with pytest.raises(TypeError):
        advice.how_to_request["url"] = "x"


def test_every_country_profile_language_gives_json():
    known_sources = {reference.source_file(k) for k in reference.sources()}
    for code in sorted(countries.codes()):
        for profile in rules.PROFILES:
            for lang in countries.LANGS:
                data = explain(code, profile, lang).to_dict()
                assert data["procedure"] in rules.PROCEDURES
                assert data["group"] in rules.GROUPS
                assert data["sources"] and set(data["sources"]) <= known_sources
                json.dumps(data)


@settings(max_examples=100, deadline=None)
@given(word=st.sampled_from(["stay", "holiday", "study", "student", "posting", "posted",
                             "Vacances", "Urlaub", "Étudiant", "Entsendung"]),
       upper=st.booleans())
def test_profile_words(word, upper):
    word = word.upper() if upper else word
    assert rules.canonical_profile(word) in rules.PROFILES


# --- the data itself -------------------------------------------------------------------------

def test_data_codes_are_known_countries():
    data = reference.regimes()
    codes = countries.codes()
    for group in data["groups"].values():
        assert set(group["members"]) <= codes
    assert set(data["countries"]) <= codes
    for parent, members in data["territories"].items():
        assert parent in codes and set(members) <= codes
    for key, spec in reference.forms()["forms"].items():
        if "country" in spec:
            assert spec["country"] in codes, key


def test_data_labels_exist_in_three_languages():
    labels = reference.regimes()["labels"]
    needed = set(rules.PROCEDURES) | set(rules.GROUPS) | set(rules.PROFILES)
    needed |= set(reference.regimes()["regimes"]) | set(reference.regimes()["caveats"])
    for key in needed:
        assert key in labels, key
    for key, entry in labels.items():
        assert set(entry) == {"fr", "de", "en"}, key
        assert all(isinstance(v, str) and v for v in entry.values()), key


def test_data_sources_are_known_and_present():
    data = reference.regimes()
    used = set()

    def walk(obj):
        if hasattr(obj, "items"):
            for k, v in obj.items():
                if k == "source" and isinstance(v, str) and " " not in v:
                    used.add(v)
                elif k == "sources":
                    used.update(v)
                walk(v)
        elif isinstance(obj, tuple):
            for v in obj:
                walk(v)

    for name in reference.FILES:
        walk(reference.load(name))
    assert used <= set(data["sources"])
    if SEEDS.is_dir():
        for key, spec in data["sources"].items():
            if spec["file"] and not spec["file"].startswith("notes/"):
                assert (SEEDS / spec["file"]).is_file(), spec["file"]


def test_data_is_read_only_and_cached():
    assert reference.regimes() is reference.regimes()
    with pytest.raises(TypeError):
        reference.regimes()["groups"]["eu"] = {}
