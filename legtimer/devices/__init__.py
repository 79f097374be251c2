"""Bluetooth fitness devices: an FTMS treadmill and a heart-rate strap.

Qt-free. `ftms` and `hrm` read and write the bytes the Bluetooth specifications define;
`gatt` is the one seam between LegTimer and a radio (bleak's client, or the simulated machine
in `simulated`); `treadmill` and `strap` speak to a device through that seam; `driver` decides
when the belt gets which target, and `recorder` keeps what the runner really did, interval by
interval.
"""
