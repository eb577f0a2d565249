"""The QR codes a phone would scan decode back to the exact licence code (zxing-cpp)."""

from __future__ import annotations

import struct
import zlib

import pytest
from licence_samples import sample_licence

from yiwang.licences.qr import make_qr, qr_png
from yiwang.licences.services import sign_licence
from yiwang.licences.signing import DepartmentKey, KeyRing

zxingcpp = pytest.importorskip("zxingcpp")
np = pytest.importorskip("numpy")

KEY = DepartmentKey.generate("370100SCJ")
QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def _read(image: object) -> list[str]:
    # Only QR codes: zxing-cpp otherwise sometimes also "finds" an EAN-13 among the modules.
    results = zxingcpp.read_barcodes(image, formats=QR_ONLY)
    return [result.text for result in results]


def _png_to_gray(png: bytes) -> object:
    """Decode segno's 1-bit grayscale PNG into a numpy array (no image library needed)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", b""
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = data
        elif kind == b"IDAT":
            idat += data
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, colour, interlace) == (1, 0, 0)  # 1-bit grayscale, as segno writes it
    stride = (width * depth + 7) // 8
    raw = zlib.decompress(idat)
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - 1] if x else 0
            up, up_left = previous[x], previous[x - 1] if x else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - up_left
                distances = (abs(estimate - left), abs(estimate - up), abs(estimate - up_left))
                predictor = (left, up, up_left)[distances.index(min(distances))]
                line[x] = (line[x] + predictor) & 0xFF
        rows.append(line)
        previous = line
    bits = np.unpackbits(np.array(rows, dtype=np.uint8), axis=1, bitorder="big")
    return (bits[:, :width] * 255).astype(np.uint8)


def _matrix_image(text: str, scale: int = 4, *, best_mask: bool = False) -> object:
    matrix = np.array(make_qr(text, best_mask=best_mask).matrix, dtype=np.uint8)
    padded = np.pad(matrix, 4)
    return ((1 - np.kron(padded, np.ones((scale, scale), dtype=np.uint8))) * 255).astype(np.uint8)


def test_a_signed_licence_code_decodes_back_from_the_png() -> None:
    qr_text = sign_licence(sample_licence(), KEY).qr_text
    image = _png_to_gray(qr_png(qr_text, scale=3))
    assert _read(image) == [qr_text]


@pytest.mark.parametrize("serial", range(1, 6))
def test_codes_decode_back_from_the_module_matrix(serial: int) -> None:
    qr_text = sign_licence(sample_licence(serial=serial), KEY).qr_text
    assert _read(_matrix_image(qr_text)) == [qr_text]


def test_the_standards_mask_search_also_decodes() -> None:
    qr_text = sign_licence(sample_licence(), KEY).qr_text
    image = _matrix_image(qr_text, 3, best_mask=True)
    assert _read(image) == [qr_text]


def test_the_printed_qr_holds_the_verify_address_a_phone_opens() -> None:
    from yiwang.licences.qr import verification_address
    from yiwang.licences.verification import verify

    qr_text = sign_licence(sample_licence(), KEY).qr_text
    address = verification_address("http://127.0.0.1:8000", qr_text)
    [scanned] = _read(_png_to_gray(qr_png(address, scale=3)))
    assert scanned == f"HTTP://127.0.0.1:8000/V/{qr_text}"
    # The camera's text verifies offline as it is, with the published key alone.
    keyring = KeyRing([KEY.published])
    assert verify(scanned, keyring, at=sample_licence().issued_at).is_valid
