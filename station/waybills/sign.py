"""Request signatures of the carriers' open platforms, exactly as documented."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote_plus


def java_urlencode(text: str) -> str:
    """Java's URLEncoder.encode(text, "UTF-8"): letters, digits and `.-*_` kept,
    space as `+`, everything else %XX (upper case). Python's quote_plus keeps `~`
    and encodes `*`, so both are set right here."""
    return quote_plus(text, safe="*").replace("~", "%7E")


def sf_digest(msg_data: str, timestamp: str, check_word: str) -> str:
    """SF's msgDigest: Base64(MD5(URLEncoder.encode(msgData + timestamp + checkWord,
    "UTF-8"))), the MD5's raw 16 bytes encoded (open.sf-express.com, developSupport
    976720, 数字签名认证说明: "经过URLEncoder.encode((msgData+timeStamp+checkWord),
    “UTF-8”)后进行MD5，最后在转换为Base64字符串")."""
    encoded = java_urlencode(msg_data + timestamp + check_word)
    return base64.b64encode(hashlib.md5(encoded.encode()).digest()).decode()


def kdniao_sign(request_data: str, app_key: str) -> str:
    """KDNiao's DataSign before its form encoding: Base64 of the lower-case hex MD5
    of RequestData + AppKey (KDNiao's demo code: base64(md5(data + key)) with md5
    returning the 32-character hex string; the form then URL-encodes it)."""
    hexdigest = hashlib.md5((request_data + app_key).encode()).hexdigest()
    return base64.b64encode(hexdigest.encode()).decode()
