"""Speaks protocol version 2."""

import _speaker

_speaker.run(handshake={**_speaker.HANDSHAKE, "protocol": 2})
