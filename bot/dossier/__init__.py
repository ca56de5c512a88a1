"""The dossier: the one builder (`builder`: a finished request, from the chat or the hotline,
made a document, stored, its PDFs and e-mail produced), the store, the documents, the
background jobs, uploads, idempotency keys, handoff cases and personal-data retention."""
