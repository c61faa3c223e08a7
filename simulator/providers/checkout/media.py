"""Media the API links to: asset images (PNG) and the PDF report, served by the simulator.

Images are drawn with Pillow from the check's own data (the document shows the name,
number and MRZ the API returns), so a client that displays them shows consistent data.
Drawing is deterministic: the same check gives the same bytes. The report is a real PDF made
with fpdf2, dated by the virtual clock.
"""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from simulator.providers.checkout import constants as c
from simulator.providers.checkout.products import PRODUCTS
from simulator.providers.checkout.state import State, resolve_token
from simulator.providers.checkout.uploads import stored_upload

FACE_SIZE = (240, 300)
CARD_SIZE = (428, 270)  # ID-1 card proportions


def _palette(seed: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    digest = hashlib.sha256(seed.encode()).digest()
    skin_tones = [(241, 194, 125), (224, 172, 105), (198, 134, 66), (141, 85, 36), (255, 219, 172)]
    skin = skin_tones[digest[0] % len(skin_tones)]
    background = (200 + digest[1] % 50, 205 + digest[2] % 45, 215 + digest[3] % 40)
    return skin, background


def face_png(seed: str) -> bytes:
    """A small portrait: a face on a plain background, varied by ``seed``."""
    from PIL import Image, ImageDraw

    skin, background = _palette(seed)
    image = Image.new("RGB", FACE_SIZE, background)
    draw = ImageDraw.Draw(image)
    w, h = FACE_SIZE
    draw.ellipse((w * 0.18, h * 0.72, w * 0.82, h * 1.25), fill=(60, 70, 90))  # shoulders
    draw.rectangle((w * 0.42, h * 0.6, w * 0.58, h * 0.78), fill=skin)  # neck
    draw.ellipse((w * 0.25, h * 0.15, w * 0.75, h * 0.68), fill=skin)  # head
    draw.chord((w * 0.24, h * 0.1, w * 0.76, h * 0.45), 180, 360, fill=(70, 50, 30))  # hair
    for x in (0.38, 0.62):
        draw.ellipse((w * x - 7, h * 0.38 - 5, w * x + 7, h * 0.38 + 5), fill=(255, 255, 255))
        draw.ellipse((w * x - 3, h * 0.38 - 3, w * x + 3, h * 0.38 + 3), fill=(40, 40, 40))
    draw.line((w * 0.5, h * 0.42, w * 0.47, h * 0.5, w * 0.52, h * 0.5), fill=(150, 100, 70), width=2)
    draw.arc((w * 0.4, h * 0.5, w * 0.6, h * 0.6), 20, 160, fill=(150, 60, 60), width=3)
    return _png(image)


def document_png(document: dict[str, Any] | None, side: str, seed: str) -> bytes:
    """A card showing the document's fields (front) or its MRZ (back)."""
    from PIL import Image, ImageDraw

    document = document or {}
    image = Image.new("RGB", CARD_SIZE, (232, 238, 245))
    draw = ImageDraw.Draw(image)
    w, h = CARD_SIZE
    draw.rectangle((0, 0, w, 36), fill=(30, 60, 120))
    title = f"{document.get('document_issuing_country', '')} {document.get('document_type', 'Document')}".strip()
    draw.text((12, 12), title.upper(), fill=(255, 255, 255))
    if side == "front":
        portrait = Image.open(io.BytesIO(face_png(seed))).resize((96, 120))
        image.paste(portrait, (14, 52))
        rows = [
            ("Surname", document.get("last_name", "")),
            ("Given names", document.get("first_names", "")),
            ("Date of birth", document.get("birth_date", "")),
            ("Nationality", document.get("nationality", "")),
            ("Document no.", document.get("document_number", "")),
            ("Expiry", document.get("document_expiry_date", "")),
        ]
        for i, (label, value) in enumerate(rows):
            draw.text((126, 50 + i * 22), f"{label}: {value}", fill=(20, 20, 20))
    else:
        draw.rectangle((14, 52, w - 14, 150), outline=(120, 120, 120))
        draw.text((24, 64), f"Issued: {document.get('document_issue_date', '')}", fill=(20, 20, 20))
        draw.text((24, 86), f"Place: {document.get('document_issue_place', '')}", fill=(20, 20, 20))
    mrz = (document.get("document_mrz") or "").splitlines()
    for i, line in enumerate(mrz[:3]):
        draw.text((12, h - 44 + i * 16), line, fill=(0, 0, 0))
    return _png(image)


def _png(image: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def report_pdf(product_label: str, check: dict[str, Any], applicant: dict[str, Any] | None, at: datetime) -> bytes:
    """A one-page verification report: outcome, codes, declared data, document read, face."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(at)
    pdf.set_title(f"{product_label} report {check['id']}")
    pdf.set_author("kycsim (Checkout.com Identities simulator)")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, f"{product_label} report", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)

    def line(label: str, value: Any) -> None:
        text = f"{label}: {value}".encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")

    line("Verification", check["id"])
    line("Applicant", check["applicant_id"])
    if applicant and applicant.get("external_applicant_id"):
        line("External applicant id", applicant["external_applicant_id"])
    line("Status", check["status"])
    line("Response codes", ", ".join(f"{rc['code']} {rc['summary']}" for rc in check["response_codes"]) or "none")
    if check.get("risk_labels"):
        line("Risk labels", ", ".join(check["risk_labels"]))
    line("Created", check["created_on"])
    line("Completed", check["modified_on"])
    declared = check.get("declared_data") or {}
    if declared:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, "Declared data", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        for key in ("name", "birth_date", "email"):
            if declared.get(key):
                line(key.replace("_", " ").capitalize(), declared[key])
    single = [check["document"]] if check.get("document") else []  # IDDV has one ``document``
    for document in [*(check.get("documents") or []), *single]:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, "Document", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        for key in (
            "document_type",
            "document_issuing_country",
            "full_name",
            "birth_date",
            "nationality",
            "document_number",
            "document_expiry_date",
        ):
            if document.get(key):
                line(key.replace("_", " ").capitalize(), document[key])
    address_document = check.get("address_document")
    if address_document:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, "Address document", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        for key in ("document_type", "issuer", "issue_date"):
            if address_document.get(key):
                line(key.replace("_", " ").capitalize(), address_document[key])
        line("Names", ", ".join(address_document.get("full_names") or []))
        line("Address", ", ".join(str(v) for v in (address_document.get("address") or {}).values() if v))
    elif check.get("_media_token"):
        pdf.image(io.BytesIO(face_png(check["id"])), x=150, y=20, w=40)
    return bytes(pdf.output())


async def serve(request: Request) -> Response:
    """``GET /media/{token}/{name}``: an asset image or the report; 404 for unknown or stale tokens."""
    sim = request.app.state.sim
    token, name = request.path_params["token"], request.path_params["name"]
    link = resolve_token(sim, token, "report" if name == "report.pdf" else "media")
    if link is None:
        return Response(status_code=404)
    state = State(sim, link["tenant"])
    product = PRODUCTS[link["product"]]
    check = state.check(product, link["check_id"])
    if check is None:
        return Response(status_code=404)
    if name == "report.pdf":
        if check.get("_anonymized"):
            return Response(status_code=404)
        applicant = state.applicant(check["applicant_id"])
        pdf = report_pdf(product.label, check, applicant, sim.clock.now(link["tenant"]))
        return Response(pdf, media_type="application/pdf")
    asset = name.rsplit(".", 1)[0]
    if asset not in product.asset_types or check.get("_anonymized"):
        return Response(status_code=404)
    uploaded = stored_upload(sim.store, link["tenant"], link.get("attempt_id"), asset)
    if uploaded is not None:  # IDDV/ADV: the file the client uploaded, as uploaded
        return Response(uploaded.data, media_type=uploaded.media_type)
    documents = check.get("documents") or []
    document = documents[0] if documents else None
    if asset.endswith("face_image"):
        return Response(face_png(check["id"]), media_type="image/png")
    side = "back" if "back" in asset else "front"
    return Response(document_png(document, side, check["id"]), media_type="image/png")


__all__ = ["c", "face_png", "document_png", "report_pdf", "serve"]
