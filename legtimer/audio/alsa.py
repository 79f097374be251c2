"""Which ALSA configuration the cue stream's PortAudio reads (stdlib only).

PortAudio lists every device as it starts and, for ALSA, opens each one the configuration
defines, loading every plug-in library installed: on a desktop with libasound2-plugins that is
about 14 MB of memory (the a52 encoder brings libavcodec) for devices the cue stream never uses.
Where the sound goes through a PulseAudio or PipeWire server anyway (the default device is that
server), a configuration that defines only that device gives the same sound at less cost. It is
used only when all of these hold: no ALSA configuration was chosen already (ALSA_CONFIG_PATH),
ALSA's pulse plug-in is installed, and a server answers on the usual socket (or PULSE_SERVER
names one). Anywhere else the system's own configuration stands.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

CONFIG = Path(__file__).with_name("alsa-pulse.conf")
#: Where distributions put ALSA's plug-ins (Debian multiarch, Fedora, Arch).
PLUGIN_DIRS = (
    "/usr/lib/x86_64-linux-gnu/alsa-lib",
    "/usr/lib/aarch64-linux-gnu/alsa-lib",
    "/usr/lib/i386-linux-gnu/alsa-lib",
    "/usr/lib/arm-linux-gnueabihf/alsa-lib",
    "/usr/lib64/alsa-lib",
    "/usr/lib/alsa-lib",
)


def pulse_server(environ: Mapping[str, str]) -> bool:
    """Whether a PulseAudio-compatible server is there to play to."""
    if environ.get("PULSE_SERVER"):
        return True
    runtime = environ.get("XDG_RUNTIME_DIR")
    return runtime is not None and Path(runtime, "pulse", "native").exists()


def pulse_plugin(dirs: Iterable[str] = PLUGIN_DIRS) -> bool:
    return any(Path(d, "libasound_module_pcm_pulse.so").is_file() for d in dirs)


def lean_config(
    environ: Mapping[str, str] | None = None, dirs: Iterable[str] = PLUGIN_DIRS
) -> Path | None:
    """The configuration to give ALSA before PortAudio starts, or None to leave it be."""
    env = os.environ if environ is None else environ
    if "ALSA_CONFIG_PATH" in env or not CONFIG.is_file():
        return None
    if not pulse_plugin(dirs) or not pulse_server(env):
        return None
    return CONFIG
