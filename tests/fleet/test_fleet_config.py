"""`kiosk fleet configure` writes each machine's Syncthing configuration from the fleet
file (kiosk/fleet.py): what each machine shares, with whom, and that nothing is
discovered, relayed or reported. No Syncthing runs here (test_syncthing_fleet.py runs it)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kiosk.fleet import RETURN_IGNORES, FleetProblem, configured, load_fleet, main, write_config

HQ_ID = "MT7L6R7-F2HQXVS-FQAKGJV-H4R5RR3-QCFRN5U-QS6CHUU-5P5ZCPP-6CRYCQY"
HALL_ID = "34LNYU2-K33SFDH-ZCCKCW2-RZ3BLDX-HCN4CVL-6NWFFAR-TPE4M56-2Z6TTQY"
DOOR_ID = "3VZLQP4-FE2ONUC-2EGZGGF-SP7ASOI-TCB2XD7-SMMJVMO-A2CUEDV-QOBFXQM"

FLEET = f"""headquarters:
  name: hq
  id: {HQ_ID}
  address: tcp://10.0.0.1:22000
  show: /srv/kiosk/show
  returns: /srv/kiosk/returns
screens:
  - name: hall-1
    id: {HALL_ID}
    address: tcp://10.1.0.5:22000
    show: /home/kiosk/show
    state: /home/kiosk/.local/state/kiosk
  - name: door
    id: {DOOR_ID}
    address: tcp://10.1.0.6:22001
    show: /home/kiosk/show
    state: /home/kiosk/.local/state/kiosk
"""


def generated(device_id: str) -> str:
    """What `syncthing generate` leaves (shortened), plus a folder of the user's own."""
    return f"""<configuration version="36">
    <device id="{device_id}" name="vm" compression="metadata" introducer="false" skipIntroductionRemovals="false" introducedBy="">
        <address>dynamic</address>
        <paused>false</paused>
    </device>
    <folder id="photos" label="Photos" path="/home/kiosk/photos" type="sendreceive"></folder>
    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:8384</address>
        <apikey>secret</apikey>
    </gui>
    <options>
        <listenAddress>default</listenAddress>
        <listenAddress>quic://0.0.0.0:22000</listenAddress>
        <globalAnnounceEnabled>true</globalAnnounceEnabled>
        <localAnnounceEnabled>true</localAnnounceEnabled>
        <relaysEnabled>true</relaysEnabled>
        <natEnabled>true</natEnabled>
        <urAccepted>0</urAccepted>
        <autoUpgradeIntervalH>12</autoUpgradeIntervalH>
    </options>
</configuration>
"""


@pytest.fixture
def fleet_path(tmp_path: Path) -> Path:
    path = tmp_path / "fleet.yaml"
    path.write_text(FLEET, encoding="utf-8")
    return path


def folders(root: ET.Element) -> dict[str, ET.Element]:
    return {f.get("id", ""): f for f in root.findall("folder")}


def shared_with(folder: ET.Element) -> set[str]:
    return {d.get("id", "") for d in folder.findall("device")}


def option(root: ET.Element, name: str) -> list[str]:
    return [e.text or "" for e in root.findall(f"options/{name}")]


def test_headquarters_sends_the_show_and_receives_each_screens_return(fleet_path: Path) -> None:
    root = ET.fromstring(configured(generated(HQ_ID), load_fleet(fleet_path), "hq"))
    found = folders(root)
    assert set(found) == {"photos", "kiosk-show", "kiosk-return-hall-1", "kiosk-return-door"}
    show = found["kiosk-show"]
    assert (show.get("type"), show.get("path")) == ("sendonly", "/srv/kiosk/show")
    assert shared_with(show) == {HQ_ID, HALL_ID, DOOR_ID}
    hall = found["kiosk-return-hall-1"]
    assert (hall.get("type"), hall.get("path")) == ("receiveonly", "/srv/kiosk/returns/hall-1")
    assert shared_with(hall) == {HQ_ID, HALL_ID}  # a screen's return goes to headquarters only
    devices = {d.get("id"): d for d in root.findall("device")}
    assert set(devices) == {HQ_ID, HALL_ID, DOOR_ID}
    assert devices[DOOR_ID].findtext("address") == "tcp://10.1.0.6:22001"  # no "dynamic": no discovery
    assert devices[DOOR_ID].findtext("autoAcceptFolders") == "false"
    assert devices[HQ_ID].get("name") == "hq"


def test_a_screen_receives_the_show_and_sends_its_state_folder_to_headquarters_only(fleet_path: Path) -> None:
    root = ET.fromstring(configured(generated(HALL_ID), load_fleet(fleet_path), "hall-1"))
    found = folders(root)
    assert set(found) == {"photos", "kiosk-show", "kiosk-return-hall-1"}
    assert found["kiosk-show"].get("type") == "receiveonly"
    assert shared_with(found["kiosk-show"]) == {HQ_ID, HALL_ID}
    back = found["kiosk-return-hall-1"]
    assert (back.get("type"), back.get("path")) == ("sendonly", "/home/kiosk/.local/state/kiosk")
    assert {d.get("id") for d in root.findall("device")} == {HALL_ID, HQ_ID}  # not the other screens


@pytest.mark.parametrize("name", ["hq", "hall-1"])
def test_only_the_listed_devices_no_discovery_relays_nat_or_reports(fleet_path: Path, name: str) -> None:
    own = HQ_ID if name == "hq" else HALL_ID
    root = ET.fromstring(configured(generated(own), load_fleet(fleet_path), name))
    for key in ("globalAnnounceEnabled", "localAnnounceEnabled", "relaysEnabled", "natEnabled",
                "startBrowser", "crashReportingEnabled"):
        assert option(root, key) == ["false"], key
    assert option(root, "urAccepted") == ["-1"]  # usage reporting declined
    assert option(root, "autoUpgradeIntervalH") == ["0"]
    assert option(root, "listenAddress") == ["tcp://0.0.0.0:22000"]  # one TCP port, nothing else
    assert root.findtext("gui/apikey") == "secret"  # what the helper does not manage is left alone


def test_running_it_again_gives_the_same_configuration(fleet_path: Path) -> None:
    fleet = load_fleet(fleet_path)
    once = configured(generated(HQ_ID), fleet, "hq")
    assert configured(once, fleet, "hq") == once


def test_a_screen_removed_from_the_fleet_file_is_removed_from_headquarters(fleet_path: Path) -> None:
    before = configured(generated(HQ_ID), load_fleet(fleet_path), "hq")
    fleet_path.write_text(FLEET.split("  - name: door")[0], encoding="utf-8")
    root = ET.fromstring(configured(before, load_fleet(fleet_path), "hq"))
    assert "kiosk-return-door" not in folders(root)
    assert DOOR_ID not in {d.get("id") for d in root.findall("device")}
    assert shared_with(folders(root)["kiosk-show"]) == {HQ_ID, HALL_ID}


def test_the_wrong_syncthing_home_is_refused(fleet_path: Path) -> None:
    with pytest.raises(FleetProblem, match="not hall-1's device"):
        configured(generated(HQ_ID), load_fleet(fleet_path), "hall-1")
    with pytest.raises(FleetProblem, match="no machine named 'hall-2'"):
        configured(generated(HALL_ID), load_fleet(fleet_path), "hall-2")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((HALL_ID, DOOR_ID), "each machine needs its own id"),
        (("name: door", "name: hall-1"), "each machine needs its own name"),
        ((DOOR_ID, "NOT-AN-ID"), "screens.1.id: String should match pattern"),
        (("tcp://10.1.0.6:22001", "10.1.0.6"), "screens.1.address"),
        (("    state:", "    sate:"), "screens.0.sate: Extra inputs are not permitted"),
    ],
)
def test_fleet_file_mistakes_are_named(fleet_path: Path, change: tuple[str, str], message: str) -> None:
    fleet_path.write_text(FLEET.replace(*change, 1), encoding="utf-8")
    with pytest.raises(FleetProblem, match=message):
        load_fleet(fleet_path)


def test_write_config_keeps_the_original_and_limits_what_a_screen_sends(tmp_path: Path) -> None:
    state, show = tmp_path / "state" / "kiosk", tmp_path / "show"
    text = FLEET.replace("/home/kiosk/.local/state/kiosk", str(state)).replace("/home/kiosk/show", str(show))
    fleet_path = tmp_path / "fleet.yaml"
    fleet_path.write_text(text, encoding="utf-8")
    home = tmp_path / "syncthing"
    home.mkdir()
    (home / "config.xml").write_text(generated(HALL_ID), encoding="utf-8")
    assert main(["configure", str(fleet_path), "--as", "hall-1", "--home", str(home)]) == 0
    assert (home / "config.xml.before-kiosk-fleet").read_text(encoding="utf-8") == generated(HALL_ID)
    assert (state / ".stignore").read_text(encoding="utf-8") == RETURN_IGNORES
    assert (state / ".stfolder").is_dir() and (show / ".stfolder").is_dir()
    first = (home / "config.xml").read_text(encoding="utf-8")
    write_config(home, load_fleet(fleet_path), "hall-1")  # again: the original backup stays
    assert (home / "config.xml.before-kiosk-fleet").read_text(encoding="utf-8") == generated(HALL_ID)
    assert (home / "config.xml").read_text(encoding="utf-8") == first


def test_bad_input_exits_2_with_a_message(tmp_path: Path, fleet_path: Path, capsys) -> None:
    assert main(["configure", str(fleet_path), "--as", "hq", "--home", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kiosk fleet: ") and "syncthing generate --home" in err


def test_the_example_fleet_file_is_valid() -> None:
    example = Path(__file__).resolve().parents[2] / "packaging" / "fleet" / "fleet.example.yaml"
    fleet = load_fleet(example)
    assert fleet.headquarters.name == "hq" and len(fleet.screens) == 2
    for screen in fleet.screens:
        assert "kiosk-return-" + screen.name in folders(
            ET.fromstring(configured(generated(fleet.headquarters.id), fleet, "hq"))
        )
