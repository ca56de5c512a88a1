"""Answers outside the request: questions, and everything said outside the request form.

Pure (no rasa import). Returns response names with their parameters
(``bot.messages.Answer``); the sentences live in ``domain.yml`` in
French, German and English. Every fact a sentence quotes (form codes,
durations, phone numbers, links) is a parameter read from the data
files: ``bot/data/regimes.yml``, ``forms.yml``, ``contacts.yml`` and
``funds.yml`` through ``bot.rules`` / ``bot.reference``, and
``bot/data/advisor.yml`` for the cues and the few facts the rules data does
not hold. Names, dates and lists are worded by ``bot.wording``.

    router.py     respond(intent, confidence, entities, slots, lang, text) -> (Answer, start_form);
                  topic_of(text), is_question(text)
    topics.py     answer(intent, entities, slots, lang, text) -> Answer; the topics;
                  explain_advice(advice, lang, duration_days=None) -> Answer (a destination);
                  recognised_question(...): the kinds of question answered alike whatever the topic
    followups.py  what a short question after an answer is about
    context.py    the advisor's data and facts table, the entities of a message, the
                  conversation's context (TOPIC_INTENTS, _Ctx)

How a message is read (respond / answer): first the question as a whole
(``advisor.yml`` ``question_kinds``: where the identification number is, what
to attach and what the household certificate is, who may ask for whom, how
early to order, a cruise; then a follow-up on the subject just answered; then
a destination that is no known country), then the intent, corrected where one
word misled it (a posting question stays a posting question; a request whose
last sentence asks something is answered, then the request offered). The
country a question is about is never a place of residence (entity role
``residence`` or "j'habite en ...", "I live in ...") nor Luxembourg named as
where one works, is insured or is posted from, nor a country named for comparison
("like for Turkey", "comme pour la Turquie", "wie bei der Türkei") when another is named.
A thanks, yes or no that names a country or asks something is read as the question; a
holiday (ski, vacances, Urlaub) is a stay, never a posting; in a country without
convention a bill is reimbursed at Luxembourg rates (no third-party payment).

Context slots read and written: context_country, context_profile,
context_topic (a topic intent, or the subjects "household", "id_number"),
pending_offer (and destination when the request starts).
"""
