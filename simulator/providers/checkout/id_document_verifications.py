"""ID Document Verification (``iddv_``, attempts ``datp_``): the client uploads the document's
front (and back); quality checks, then checks, fill the single ``document`` object."""

from __future__ import annotations

from simulator.providers.checkout.document_verifications import handlers
from simulator.providers.checkout.products import ID_DOCUMENT_VERIFICATION

HANDLERS = handlers(ID_DOCUMENT_VERIFICATION)
