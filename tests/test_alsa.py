"""The cue stream's lean ALSA configuration: used only where the sound goes through a
PulseAudio-compatible server anyway, and then PortAudio loads no plug-in it does not use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from legtimer.audio.alsa import CONFIG, lean_config, pulse_server

PROBE = r"""
import os, sys
from legtimer.audio.alsa import lean_config
config = lean_config()
if config is not None:
    os.environ["ALSA_CONFIG_PATH"] = str(config)
os.environ["JACK_NO_START_SERVER"] = "1"
import sounddevice
names = [d["name"] for d in sounddevice.query_devices()]
maps = open("/proc/self/maps").read()
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS:"))
print(config is not None, "libasound_module_pcm_a52" in maps, "default" in names, rss // 1024)
"""


def plugin_dir(tmp_path: Path) -> list[str]:
    d = tmp_path / "alsa-lib"
    d.mkdir()
    (d / "libasound_module_pcm_pulse.so").write_bytes(b"")
    return [str(d)]


def test_it_is_used_only_where_a_server_and_the_plugin_are(tmp_path: Path) -> None:
    dirs = plugin_dir(tmp_path)
    runtime = tmp_path / "run"
    (runtime / "pulse").mkdir(parents=True)
    assert lean_config({"XDG_RUNTIME_DIR": str(runtime)}, dirs) is None  # no server yet
    (runtime / "pulse" / "native").touch()
    assert lean_config({"XDG_RUNTIME_DIR": str(runtime)}, dirs) == CONFIG
    assert lean_config({"PULSE_SERVER": "unix:/somewhere"}, dirs) == CONFIG
    # The runner's (or the system's) own choice of ALSA configuration stands.
    assert lean_config({"PULSE_SERVER": "x", "ALSA_CONFIG_PATH": "/etc/mine"}, dirs) is None
    # Without ALSA's pulse plug-in the lean configuration could not play at all.
    assert lean_config({"PULSE_SERVER": "x"}, [str(tmp_path / "none")]) is None
    assert not pulse_server({})
    assert CONFIG.is_file() and "type pulse" in CONFIG.read_text()


def test_with_a_server_portaudio_loads_no_plugin_it_does_not_use(
    pulse: dict[str, str],
) -> None:
    """With a real PulseAudio server: the lean configuration is chosen, the default device
    is there to play to, and the a52 encoder (libavcodec) is never loaded. (As on a desktop:
    the system's ALSA configuration, which the other sound tests replace to reach the private
    server, is in effect.)"""
    env = {k: v for k, v in pulse.items() if k != "ALSA_CONFIG_PATH"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    used, a52, default, rss_mb = out.stdout.split()
    assert (used, a52, default) == ("True", "False", "True"), out.stdout
    assert int(rss_mb) < 40
