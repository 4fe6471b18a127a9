; Inno Setup 6 script for Onsite: a per-user install (no administrator rights), a Start-menu entry,
; an optional desktop icon and an uninstaller (Settings > Apps). Built by packaging/build.py on Windows:
;     ISCC.exe /DAppVersion=0.1.0 /Odist packaging\windows\onsite.iss
; from the PyInstaller one-folder build in dist\onsite. Relative paths are relative to this file.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Onsite"
#define AppExe "onsite.exe"

[Setup]
; AppId identifies the install for upgrades and the uninstaller: never change it.
AppId={{6F1B2C9E-3D4A-4E57-9B8C-0A1D2E3F4B5C}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Onsite
AppComments=Offline practice for ML-systems and AI-infrastructure interviews
; Per-user: {autopf} resolves to %LOCALAPPDATA%\Programs and {autoprograms} to the user's Start menu.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
LicenseFile=..\..\LICENSE
OutputDir=..\..\dist
OutputBaseFilename=Onsite-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\onsite.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Closing a running Onsite before files are replaced (it saves drafts on close).
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\onsite\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Offline ML-systems interview practice"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes what [Files] installed. Study data lives in %LOCALAPPDATA%\Onsite and is kept.
