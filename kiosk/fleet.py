"""`kiosk fleet configure FLEET.yaml --as NAME --home DIR`: set up Syncthing for a fleet of
screens (issue 17). kiosk never syncs files itself: Syncthing (Debian's `syncthing`) moves
them, and this helper only writes the Syncthing configuration of one machine, offline,
from one fleet file that headquarters keeps and gives every screen:

- the show folder: Send Only at headquarters, Receive Only on every screen (a screen can
  never change what the others play; a local change there is Syncthing's to revert);
- one return folder per screen: kiosk's state folder, Send Only from the screen, Receive
  Only at headquarters (`returns/NAME/`), carrying `status.json` and the play log back and
  nothing else (the control token, the log and the last good copy stay: `.stignore`);
- only the listed devices, at their listed addresses: no global or local discovery, no
  relays, no NAT traversal, no usage reports, no automatic upgrades.

Run it with Syncthing stopped (it reads its configuration at start); the first run keeps
the original as `config.xml.before-kiosk-fleet`. It can be run again after the fleet file
changed: the folders and devices it manages are replaced, anything else is left alone.

Qt-free and network-free: XML in, XML out.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SHOW_FOLDER = "kiosk-show"
RETURN_PREFIX = "kiosk-return-"
BACKUP_SUFFIX = ".before-kiosk-fleet"
#: what a screen's return folder sends: status.json and the play log (first match wins)
RETURN_IGNORES = """// kiosk fleet: only the status and the play log go back to headquarters
!/status.json
!/plays
*
"""
#: headquarters' edits are picked up this many seconds after the last change: a few
#: seconds let a playlist and its pictures copied together go out as one set
SHOW_WATCH_DELAY_S = 2
#: status.json changes at every slide: Syncthing holds back a file that keeps changing
#: for up to six times this delay, so the status reaches headquarters within about 30 s
RETURN_WATCH_DELAY_S = 5
#: a full rescan now and then, where the file system sends no events
RESCAN_S = 60
#: no discovery beyond the list, no relays, no NAT, nothing reported or fetched
OPTIONS = {
    "globalAnnounceEnabled": "false",
    "localAnnounceEnabled": "false",
    "relaysEnabled": "false",
    "natEnabled": "false",
    "urAccepted": "-1",
    "autoUpgradeIntervalH": "0",
    "startBrowser": "false",
    "crashReportingEnabled": "false",
}

DeviceId = Annotated[str, Field(pattern=r"^[A-Z2-7]{7}(-[A-Z2-7]{7}){7}$")]
Name = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Address = Annotated[str, Field(pattern=r"^tcp[46]?://\S+:\d{1,5}$")]


class FleetProblem(Exception):
    """A fleet file or a Syncthing home that cannot be used; the message says why."""


class Machine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    id: DeviceId  # `syncthing serve --device-id --home DIR` prints it
    address: Address  # where the others reach it, e.g. tcp://10.0.0.1:22000
    listen: Address | None = None  # what it listens on (default: every interface, the address's port)

    def listen_address(self) -> str:
        if self.listen is not None:
            return self.listen
        scheme, _, rest = self.address.partition("://")
        return f"{scheme}://0.0.0.0:{rest.rsplit(':', 1)[1]}"


class Headquarters(Machine):
    show: Path  # the folder the screens play: edit the playlist and its files here
    returns: Path  # each screen's status and play log arrive in returns/NAME/


class Screen(Machine):
    show: Path  # where the show arrives: kiosk plays show/PLAYLIST from here
    state: Path  # kiosk's state folder (~/.local/state/kiosk): its return folder


class Fleet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    headquarters: Headquarters
    screens: list[Screen] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Fleet:
        machines = [self.headquarters, *self.screens]
        for what in ("name", "id"):
            values = [getattr(m, what) for m in machines]
            repeated = sorted({v for v in values if values.count(v) > 1})
            if repeated:
                raise ValueError(f"each machine needs its own {what}: {', '.join(repeated)} is used twice")
        return self

    def machine(self, name: str) -> Machine:
        for machine in (self.headquarters, *self.screens):
            if machine.name == name:
                return machine
        names = ", ".join(m.name for m in (self.headquarters, *self.screens))
        raise FleetProblem(f"no machine named {name!r} in the fleet file (it lists {names})")


def load_fleet(path: Path) -> Fleet:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Fleet.model_validate(data)
    except OSError as error:
        raise FleetProblem(f"{path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise FleetProblem(f"{path}: not YAML: {error}") from error
    except ValidationError as error:
        lines = [f"{path}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
        raise FleetProblem("\n".join(lines)) from error


# ---------------------------------------------------------------- the configuration


def _set_text(parent: ET.Element, tag: str, text: str) -> None:
    element = parent.find(tag)
    if element is None:
        element = ET.SubElement(parent, tag)
    element.text = text


def _device(machine: Machine) -> ET.Element:
    element = ET.Element(
        "device",
        id=machine.id,
        name=machine.name,
        compression="metadata",
        introducer="false",
        skipIntroductionRemovals="false",
        introducedBy="",
    )
    ET.SubElement(element, "address").text = machine.address
    ET.SubElement(element, "paused").text = "false"
    ET.SubElement(element, "autoAcceptFolders").text = "false"
    return element


def _folder(
    folder_id: str, label: str, path: Path, kind: str, delay: int, devices: list[Machine]
) -> ET.Element:
    element = ET.Element(
        "folder",
        id=folder_id,
        label=label,
        path=str(path),
        type=kind,
        rescanIntervalS=str(RESCAN_S),
        fsWatcherEnabled="true",
        fsWatcherDelayS=str(delay),
        ignorePerms="false",
        autoNormalize="true",
    )
    ET.SubElement(element, "filesystemType").text = "basic"
    for device in devices:
        ET.SubElement(element, "device", id=device.id, introducedBy="")
    return element


def folders_of(fleet: Fleet, name: str) -> list[ET.Element]:
    """The folders machine `name` shares, and with whom."""
    hq = fleet.headquarters
    if name == hq.name:
        show = _folder(
            SHOW_FOLDER, "kiosk show", hq.show, "sendonly", SHOW_WATCH_DELAY_S, [hq, *fleet.screens]
        )
        returns = [
            _folder(
                f"{RETURN_PREFIX}{s.name}",
                f"kiosk return {s.name}",
                hq.returns / s.name,
                "receiveonly",
                RETURN_WATCH_DELAY_S,
                [hq, s],
            )
            for s in fleet.screens
        ]
        return [show, *returns]
    screen = fleet.machine(name)
    assert isinstance(screen, Screen)
    return [
        _folder(SHOW_FOLDER, "kiosk show", screen.show, "receiveonly", SHOW_WATCH_DELAY_S, [hq, screen]),
        _folder(
            f"{RETURN_PREFIX}{screen.name}",
            f"kiosk return {screen.name}",
            screen.state,
            "sendonly",
            RETURN_WATCH_DELAY_S,
            [hq, screen],
        ),
    ]


def peers_of(fleet: Fleet, name: str) -> list[Machine]:
    """Headquarters talks to every screen; a screen to headquarters only."""
    if name == fleet.headquarters.name:
        return list(fleet.screens)
    fleet.machine(name)  # a name that is not in the fleet is an error
    return [fleet.headquarters]


def _is_ours(folder: ET.Element) -> bool:
    folder_id = folder.get("id") or ""
    return folder_id == SHOW_FOLDER or folder_id.startswith(RETURN_PREFIX)


def _managed_devices(root: ET.Element, fleet: Fleet) -> set[str]:
    """The fleet's devices, and those an earlier run shared the fleet's folders with (a
    screen since taken out of the fleet file), unless a folder of the user's uses them."""
    listed = {m.id for m in (fleet.headquarters, *fleet.screens)}
    ours = [f for f in root.findall("folder") if _is_ours(f)]
    theirs = [f for f in root.findall("folder") if not _is_ours(f)]
    earlier = {d.get("id", "") for f in ours for d in f.findall("device")}
    used_elsewhere = {d.get("id", "") for f in theirs for d in f.findall("device")}
    return listed | (earlier - used_elsewhere)


def configured(config_xml: str, fleet: Fleet, name: str) -> str:
    """Syncthing's config.xml for machine `name` of the fleet, from the one it has."""
    me = fleet.machine(name)
    root = ET.fromstring(config_xml)
    managed = _managed_devices(root, fleet) - {me.id}
    own = [d for d in root.findall("device") if d.get("id") == me.id]
    if not own:
        found = ", ".join(d.get("id", "?") for d in root.findall("device")) or "none"
        raise FleetProblem(
            f"this Syncthing home is not {name}'s device {me.id} (it has {found}); "
            "run the helper with the --home of that machine's Syncthing"
        )
    for element in list(root):
        stale_device = element.tag == "device" and element.get("id") in managed
        if stale_device or (element.tag == "folder" and _is_ours(element)):
            root.remove(element)
    own[0].set("name", me.name)
    _set_text(own[0], "address", me.address)
    at = list(root).index(own[0]) + 1
    for offset, element in enumerate(
        [*(_device(p) for p in peers_of(fleet, name)), *folders_of(fleet, name)]
    ):
        root.insert(at + offset, element)
    options = root.find("options")
    if options is None:
        options = ET.SubElement(root, "options")
    listen = ET.Element("listenAddress")
    listen.text = me.listen_address()
    olds = options.findall("listenAddress")
    options.insert(list(options).index(olds[0]) if olds else 0, listen)  # where Syncthing keeps it
    for old in olds:
        options.remove(old)
    for key, value in OPTIONS.items():
        _set_text(options, key, value)
    ET.indent(root, space="    ")
    return ET.tostring(root, encoding="unicode") + "\n"


def write_config(home: Path, fleet: Fleet, name: str) -> list[Path]:
    """Rewrite `home`/config.xml for machine `name`, make its folders (with Syncthing's
    folder marker) and the return folder's ignore file; the paths written."""
    config = home / "config.xml"
    try:
        text = config.read_text(encoding="utf-8")
    except OSError as error:
        raise FleetProblem(
            f"{config}: {error.strerror}; make it first: syncthing generate --home {home} --no-default-folder"
        ) from error
    new = configured(text, fleet, name)
    backup = config.with_name(config.name + BACKUP_SUFFIX)
    if not backup.exists():
        shutil.copy2(config, backup)
    written = [config]
    for folder in folders_of(fleet, name):
        path = Path(folder.get("path", ""))
        (path / ".stfolder").mkdir(parents=True, exist_ok=True)
        if folder.get("type") == "sendonly" and (folder.get("id") or "").startswith(RETURN_PREFIX):
            ignores = path / ".stignore"
            ignores.write_text(RETURN_IGNORES, encoding="utf-8")
            written.append(ignores)
    temporary = config.with_name(config.name + ".kiosk-fleet.tmp")
    temporary.write_text(new, encoding="utf-8")
    temporary.replace(config)  # Syncthing never finds half a configuration
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kiosk fleet",
        description="Set up Syncthing on one machine of a fleet (headquarters or a screen).",
        epilog="Exit codes: 0 written, 2 bad input (the fleet file, the name or the Syncthing home).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    configure = sub.add_parser(
        "configure", help="write this machine's Syncthing configuration (Syncthing stopped)"
    )
    configure.add_argument("fleet", type=Path, metavar="FLEET.yaml", help="the fleet file (packaging/fleet/)")
    configure.add_argument(
        "--as", dest="name", required=True, metavar="NAME", help="this machine's name in it"
    )
    configure.add_argument(
        "--home", type=Path, required=True, metavar="DIR", help="Syncthing's home (config.xml)"
    )
    options = parser.parse_args(argv)
    try:
        fleet = load_fleet(options.fleet)
        for path in write_config(options.home, fleet, options.name):
            print(f"wrote {path}")
    except FleetProblem as problem:
        print(f"kiosk fleet: {problem}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
