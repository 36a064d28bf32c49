"""Claims only the literal profile and the routing level, and answers those right."""

import _speaker

_speaker.run(handshake={**_speaker.HANDSHAKE, "profiles": ["literal"], "levels": ["routing"]})
