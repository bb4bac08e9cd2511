"""Join codes (short, read aloud and typed on phones) and teacher tokens (secret)."""

import hashlib
import hmac
import re
import secrets

# Six letters without look-alikes: no I/L (1), O (0), B (8), S (5), Z (2): 20**6 = 64 million codes.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY"
LENGTH = 6
_CODE = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")
_PARTICIPANT = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(text: str) -> str | None:
    """The code a person typed ("abc-def ", lower case) in canonical form, or None if it cannot be one."""
    code = re.sub(r"[\s-]", "", text).upper()
    return code if _CODE.fullmatch(code) else None


def new_token() -> str:
    return secrets.token_urlsafe(24)


def digest(token: str) -> str:
    """Stores keep only the digest of a teacher token."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str | None, stored_digest: str) -> bool:
    return bool(token) and hmac.compare_digest(digest(token), stored_digest)


def new_participant() -> str:
    """A student's secret identity for resuming (answers are keyed by it)."""
    return secrets.token_urlsafe(18)


def valid_participant(text) -> bool:
    return isinstance(text, str) and bool(_PARTICIPANT.fullmatch(text))


def alias(participant: str) -> str:
    """What the teacher's page sees of a student: stable, not the secret."""
    return hashlib.sha256(b"alias:" + participant.encode()).hexdigest()[:12]
