"""FTMS and Heart Rate Measurement on real bytes: the specifications' field layouts, a capture
published by an open project, and every control point write LegTimer makes, byte for byte."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legtimer.devices import ftms, hrm


def b(text: str) -> bytes:
    return bytes.fromhex(text)


# -- Treadmill Data (0x2ACD) -------------------------------------------------------------------


def test_speed_only() -> None:
    # Flags 0x0000: bit 0 clear means Instantaneous Speed follows; 0x04B0 = 1200 -> 12.00 km/h.
    assert ftms.parse_treadmill_data(b("0000 b004")) == ftms.TreadmillData(speed_kmh=12.0)


def test_speed_distance_incline_heart_rate_elapsed() -> None:
    # 0x050C: total distance (bit 2), inclination and ramp angle (bit 3), heart rate (bit 8),
    # elapsed time (bit 10). 16.00 km/h, 1 234 567 m (uint24), 2.5 %, ramp 1.4 deg, 151 bpm,
    # 754 s.
    data = b("0c05 4006 87d612 1900 0e00 97 f202")
    assert ftms.parse_treadmill_data(data) == ftms.TreadmillData(
        speed_kmh=16.0, distance_m=1_234_567, incline_pct=2.5, heart_rate=151, elapsed_s=754
    )


def test_every_field_in_its_place() -> None:
    # All thirteen fields (flags 0x1FFE, speed present): the parser must step over the ones it
    # does not keep by their exact sizes to find the later ones.
    data = b(
        "fe1f"  # flags
        "2003"  # speed 8.00
        "f401"  # average speed 5.00
        "e80300"  # distance 1000 m
        "ecff 0000"  # inclination -2.0 %, ramp angle
        "0a00 0500"  # elevation gain + / -
        "4b"  # instantaneous pace
        "4c"  # average pace
        "6400 2c01 05"  # energy: total, per hour, per minute
        "8c"  # heart rate 140
        "32"  # metabolic equivalent
        "5802"  # elapsed 600 s
        "2c01"  # remaining 300 s
        "1000 c800"  # force on belt, power
    )
    assert ftms.parse_treadmill_data(data) == ftms.TreadmillData(
        speed_kmh=8.0,
        average_speed_kmh=5.0,
        distance_m=1000,
        incline_pct=-2.0,
        heart_rate=140,
        elapsed_s=600,
    )


def test_more_data_flag_means_no_speed() -> None:
    assert ftms.parse_treadmill_data(b("0104 1e00")) == ftms.TreadmillData(elapsed_s=30)


def test_vendor_capture_with_a_reserved_flag() -> None:
    # A CITYSPORTS-Linker walking pad (published by the FitnessMachine project): flags 0x2484,
    # which sets reserved bit 13 and appends a step count the specification does not define.
    data = b("8424 e803 2c0100 1900 ffff ff 7800 9001 00")
    assert ftms.parse_treadmill_data(data) == ftms.TreadmillData(
        speed_kmh=10.0, distance_m=300, elapsed_s=120
    )


def test_inclination_not_available() -> None:
    assert ftms.parse_treadmill_data(b("0800 6400 ff7f ff7f")).incline_pct is None


@pytest.mark.parametrize(
    ("data", "needs"),
    [
        (b(""), "at least 2"),
        (b("00"), "at least 2"),
        (b("0000 b0"), "at least 4"),
        (b("0401 b004 e803"), "at least 7"),
    ],
)
def test_short_notifications_are_refused_not_half_read(data: bytes, needs: str) -> None:
    with pytest.raises(ftms.ProtocolError, match=needs):
        ftms.parse_treadmill_data(data)


@given(
    speed=st.one_of(st.none(), st.integers(0, 0xFFFF).map(lambda r: r / 100)),
    distance=st.one_of(st.none(), st.integers(0, 0xFFFFFF)),
    incline=st.one_of(st.none(), st.integers(-0x8000, 0x7FFE).map(lambda r: r / 10)),
    heart=st.one_of(st.none(), st.integers(1, 255)),
    elapsed=st.one_of(st.none(), st.integers(0, 0xFFFF)),
)
def test_treadmill_data_reads_back(
    speed: float | None,
    distance: int | None,
    incline: float | None,
    heart: int | None,
    elapsed: int | None,
) -> None:
    d = ftms.TreadmillData(speed, None, distance, incline, heart, elapsed)
    assert ftms.parse_treadmill_data(ftms.encode_treadmill_data(d)) == d


# -- ranges, features --------------------------------------------------------------------------


def test_supported_speed_range() -> None:
    # 0.80 to 16.00 km/h in 0.10 steps.
    r = ftms.parse_speed_range(b("5000 4006 0a00"))
    assert r == ftms.Range(0.8, 16.0, 0.1)
    assert r.clamp(18.5) == 16.0
    assert r.clamp(0.0) == 0.8
    assert r.clamp(7.34) == 7.3


def test_supported_incline_range_is_signed() -> None:
    # -3.0 to 15.0 % in 0.5 steps.
    r = ftms.parse_incline_range(b("e2ff 9600 0500"))
    assert r == ftms.Range(-3.0, 15.0, 0.5)
    assert r.clamp(2.2) == 2.0
    assert r.clamp(-9) == -3.0


def test_a_range_running_backwards_is_refused() -> None:
    with pytest.raises(ftms.ProtocolError, match="backwards"):
        ftms.parse_speed_range(b("4006 5000 0a00"))


def test_features() -> None:
    # Machine: total distance, inclination, heart rate; targets: speed and inclination.
    f = ftms.parse_features(b("0c040000 03000000"))
    assert f == ftms.Features(
        distance=True, incline=True, heart_rate=True, speed_target=True, incline_target=True
    )
    assert ftms.parse_features(ftms.encode_features(f)) == f


# -- the control point -------------------------------------------------------------------------


def test_control_point_writes_byte_for_byte() -> None:
    assert ftms.request_control() == b("00")
    assert ftms.start_or_resume() == b("07")
    assert ftms.stop_or_pause(ftms.StopCode.STOP) == b("0801")
    assert ftms.stop_or_pause(ftms.StopCode.PAUSE) == b("0802")
    assert ftms.set_target_speed(16.0) == b("024006")
    assert ftms.set_target_speed(8.05) == b("022503")
    assert ftms.set_target_incline(2.5) == b("031900")
    assert ftms.set_target_incline(-1.5) == b("03f1ff")


def test_values_that_cannot_be_sent() -> None:
    with pytest.raises(ValueError, match=r"655\.35"):
        ftms.set_target_speed(-1)
    with pytest.raises(ValueError, match="incline"):
        ftms.set_target_incline(5000)


def test_control_point_responses() -> None:
    assert ftms.parse_response(b("800201")) == ftms.Response(0x02, ftms.Result.SUCCESS)
    refused = ftms.parse_response(b("800005"))
    assert not refused.ok and refused.result is ftms.Result.NOT_PERMITTED
    assert "did not give LegTimer control" in refused.result.words
    with pytest.raises(ftms.ProtocolError, match="not a control point response"):
        ftms.parse_response(b("0201"))
    with pytest.raises(ftms.ProtocolError, match="0x09"):
        ftms.parse_response(b("800209"))


def test_machine_status() -> None:
    s = ftms.parse_machine_status(b("05 7805"))
    assert s == ftms.MachineStatus(ftms.Status.TARGET_SPEED_CHANGED, 14.0)
    s = ftms.parse_machine_status(b("06 ceff"))
    assert s == ftms.MachineStatus(ftms.Status.TARGET_INCLINE_CHANGED, -5.0)
    assert ftms.parse_machine_status(b("0202")).value == ftms.StopCode.PAUSE
    assert ftms.parse_machine_status(b("ff")).status is ftms.Status.CONTROL_PERMISSION_LOST
    assert ftms.parse_machine_status(b("40")).status is None  # a code from a later version
    with pytest.raises(ftms.ProtocolError, match="without a speed"):
        ftms.parse_machine_status(b("05"))


# -- Heart Rate Measurement (0x2A37) -----------------------------------------------------------


def test_heart_rate_8_bit() -> None:
    assert hrm.parse(b("00 48")) == hrm.HeartRate(72)


def test_heart_rate_16_bit_with_contact_energy_and_rr() -> None:
    # Flags 0x1F: uint16 value, contact supported and detected, energy, RR intervals.
    r = hrm.parse(b("1f 2c01 3412 0004 0002"))
    assert r.bpm == 300
    assert r.contact is True
    assert r.energy_kj == 0x1234
    assert r.rr_s == (1.0, 0.5)
    assert r.usable


def test_contact_lost_is_not_a_reading_to_keep() -> None:
    r = hrm.parse(b("04 5a"))  # contact supported, not detected
    assert r.contact is False and not r.usable
    assert hrm.parse(b("00 5a")).contact is None  # the strap cannot tell: kept


def test_a_polar_style_notification_with_rr() -> None:
    # 8-bit value and RR intervals, as chest straps commonly send: 0x10, 0x4e (78 bpm),
    # RR 0x0337 (823/1024 s).
    r = hrm.parse(b("10 4e 3703"))
    assert r.bpm == 78 and r.rr_s == (823 / 1024,)


def test_short_heart_rate_is_refused() -> None:
    with pytest.raises(ftms.ProtocolError, match="at least 2"):
        hrm.parse(b("01"))
    with pytest.raises(ftms.ProtocolError, match="need 3"):
        hrm.parse(b("01 2c"))


@given(
    bpm=st.integers(1, 0xFFFF),
    contact=st.sampled_from([None, True, False]),
    energy=st.one_of(st.none(), st.integers(0, 0xFFFF)),
    rr=st.lists(st.integers(1, 0xFFFF), max_size=8),
)
def test_heart_rate_reads_back(
    bpm: int, contact: bool | None, energy: int | None, rr: list[int]
) -> None:
    reading = hrm.HeartRate(bpm, contact, energy, tuple(v / 1024 for v in rr))
    assert hrm.parse(hrm.encode(reading)) == reading


# -- why Bluetooth cannot be used --------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (
            Exception(
                "[org.freedesktop.DBus.Error.ServiceUnknown] The name org.bluez was not "
                "provided by any .service files"
            ),
            "Bluetooth is not running on this computer (no BlueZ service)",
        ),
        (FileNotFoundError(2, "No such file or directory"), "no system message bus"),
        (Exception("No Bluetooth adapters found."), "No Bluetooth adapter was found."),
        (Exception("Bluetooth device is turned off"), "Bluetooth is off"),
        (Exception("something new"), "Bluetooth did not work (something new)."),
    ],
)
def test_why_bluetooth_cannot_be_used(error: Exception, said: str) -> None:
    from legtimer.devices.scan import why

    assert said in why(error)


def test_a_scan_keeps_only_treadmills_and_straps() -> None:
    from legtimer.devices.scan import STRAP, TREADMILL, kind_of

    assert kind_of(["00001826-0000-1000-8000-00805F9B34FB"]) == TREADMILL
    assert kind_of([hrm.SERVICE, "0000180f-0000-1000-8000-00805f9b34fb"]) == STRAP
    assert kind_of(["0000180a-0000-1000-8000-00805f9b34fb"]) is None
