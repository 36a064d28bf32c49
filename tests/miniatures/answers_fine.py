"""Answers every case right: the control."""

import _speaker

_speaker.run()
