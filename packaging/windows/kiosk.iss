; kiosk's Windows installer, for Inno Setup 6 (https://jrsoftware.org/isinfo.php).
;
;   ISCC.exe /DAppVersion=0.1.0 packaging\windows\kiosk.iss
;
; Packs the one-folder build (dist\kiosk\, made by packaging\build.py on Windows) into
; dist\kiosk-setup-VERSION.exe. The installer:
; - installs for the signed-in user only (no administrator rights, no UAC prompt), into
;   %LOCALAPPDATA%\Programs\kiosk, with Start menu entries for the show and the uninstaller;
; - with the task "autostart" (ticked by default), adds the show to this user's sign-in
;   programs (HKCU\...\Run), locked (only Ctrl+Alt+Q quits); a silent install takes the
;   playlist from /PLAYLIST="D:\show\playlist.yaml" (without it, the bundled playlist plays);
; - uninstalls cleanly: the program folder, the Start menu entries and the autostart entry
;   go. The state folder (%LOCALAPPDATA%\kiosk: the log, status.json and the play logs, the
;   proof of what was shown) is the user's data and stays.
;
; CI (.github\workflows\build.yml) builds it, installs it silently, checks the autostart
; entry and uninstalls it; packaging\README.md says what has run where.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef BuildDir
  #define BuildDir "..\..\dist\kiosk"
#endif

[Setup]
; The AppId ties upgrades and the uninstaller to this program: never change it.
AppId={{6F1B7C3E-2D4A-4E8B-9C51-7A0D2E9F4B36}
AppName=kiosk
AppVersion={#AppVersion}
AppVerName=kiosk {#AppVersion}
AppPublisher=kiosk
DefaultDirName={autopf}\kiosk
DefaultGroupName=kiosk
DisableProgramGroupPage=yes
; per user: {autopf} is %LOCALAPPDATA%\Programs, the registry entries go under HKCU
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=kiosk-setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\kiosk.exe
UninstallDisplayName=kiosk {#AppVersion}
WizardStyle=modern
; a running show is closed (Windows' Restart Manager) before its files are replaced or removed
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "autostart"; Description: "Start the show when I sign in (locked: only Ctrl+Alt+Q quits)"; GroupDescription: "Starting:"

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\kiosk"; Filename: "{app}\kiosk.exe"
Name: "{group}\Uninstall kiosk"; Filename: "{uninstallexe}"

[Registry]
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "kiosk"; ValueData: "{code:AutostartCommand}"; Flags: uninsdeletevalue; Tasks: autostart

[Run]
Filename: "{app}\kiosk.exe"; Description: "Start the show now"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; anything the program left in its own folder (the state folder is elsewhere and stays)
Type: filesandordirs; Name: "{app}"

[Code]
{ The sign-in command: the show, locked, with the playlist given as /PLAYLIST=... if any. }
function AutostartCommand(Param: String): String;
var
  Playlist: String;
begin
  Result := '"' + ExpandConstant('{app}\kiosk.exe') + '" --lock';
  Playlist := ExpandConstant('{param:PLAYLIST|}');
  if Playlist <> '' then
    Result := Result + ' "' + Playlist + '"';
end;
