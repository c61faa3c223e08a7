"""Product descriptors: what differs between IDV, FA, IDDV and ADV, so one machinery serves them all.

The lifecycle, the attempt handlers, the webhooks and the hosted page read a :class:`Product`
instead of spelling ``identity_verification`` anywhere. Adding a product means adding a
descriptor here (and its create/get handlers), not copying code.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.providers.checkout import constants as c


@dataclass(frozen=True)
class Product:
    name: str  # scenario product name, e.g. "identity_verification"
    id_prefix: str  # "idv"
    attempt_prefix: str | None  # "iatp"
    data_id_key: str  # the id key in webhook ``data``: "identity_verification_id"
    event_prefix: str  # "identity_verification"
    path: str  # URL path segment: "identity-verifications"
    kind: str  # store kind of the check documents
    statuses: tuple[str, ...]
    attempt_statuses: tuple[str, ...]
    attempt_allowed: tuple[str, ...]  # check statuses in which a new attempt may be created
    asset_types: tuple[str, ...]
    hosted: bool = True  # the applicant captures on a hosted page (IDV, FA) or the client uploads (IDDV, ADV)
    has_report: bool = False
    has_risk_labels: bool = False
    label: str = ""  # for people: "Identity Verification"

    @property
    def attempt_kind(self) -> str:
        return f"{self.kind}_attempts"

    def event(self, suffix: str) -> str:
        """``identity_verification_`` + ``suffix``; raises if the product has no such event."""
        name = f"{self.event_prefix}_{suffix}"
        if name not in c.EVENTS_BY_PRODUCT[self.name]:
            raise ValueError(f"{self.name} has no event {name!r}")
        return name

    def has_event(self, suffix: str) -> bool:
        return f"{self.event_prefix}_{suffix}" in c.EVENTS_BY_PRODUCT[self.name]


def _descriptor(name: str, data_id_key: str, path: str, label: str, **extra) -> Product:
    id_prefix, attempt_prefix = c.ID_PREFIXES[name]
    return Product(
        name=name,
        id_prefix=id_prefix,
        attempt_prefix=attempt_prefix,
        data_id_key=data_id_key,
        event_prefix=data_id_key.removesuffix("_id"),
        path=path,
        kind=path.replace("-", "_"),
        statuses=c.STATUSES_BY_PRODUCT[name],
        attempt_statuses=c.ATTEMPT_STATUSES_BY_PRODUCT.get(name, ()),
        attempt_allowed=c.ATTEMPT_ALLOWED.get(name, ()),
        asset_types=c.ASSET_TYPES.get(name, ()),
        label=label,
        **extra,
    )


IDENTITY_VERIFICATION = _descriptor(
    c.IDV,
    "identity_verification_id",
    "identity-verifications",
    "Identity Verification",
    has_report=True,
    has_risk_labels=True,
)
FACE_AUTHENTICATION = _descriptor(
    c.FA, "face_authentication_id", "face-authentications", "Face Authentication", has_risk_labels=True
)
ID_DOCUMENT_VERIFICATION = _descriptor(
    c.IDDV,
    "id_document_verification_id",
    "id-document-verifications",
    "ID Document Verification",
    hosted=False,
    has_report=True,
)
ADDRESS_DOCUMENT_VERIFICATION = _descriptor(
    c.ADV,
    "address_document_verification_id",
    "address-document-verifications",
    "Address Document Verification",
    hosted=False,
    has_report=True,
    has_risk_labels=True,
)

PRODUCTS: dict[str, Product] = {
    p.name: p
    for p in (IDENTITY_VERIFICATION, FACE_AUTHENTICATION, ID_DOCUMENT_VERIFICATION, ADDRESS_DOCUMENT_VERIFICATION)
}
# AML Screening is a check of its own kind (no attempts, no hosted page): not one of PRODUCTS.
AML_SCREENING = _descriptor(c.AML, "aml_verification_id", "aml-verifications", "AML Screening")
