"""Address Document Verification (``adv_``, attempts ``adva_``): the client uploads one proof of
address (``document``); quality checks, then checks, fill the ``address_document`` object."""

from __future__ import annotations

from simulator.providers.checkout.document_verifications import handlers
from simulator.providers.checkout.products import ADDRESS_DOCUMENT_VERIFICATION

HANDLERS = handlers(ADDRESS_DOCUMENT_VERIFICATION)
