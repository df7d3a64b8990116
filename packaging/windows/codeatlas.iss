; CodeAtlas per-user installer (Inno Setup 6.3+). packaging/build.py compiles it as:
;   iscc /DAppVersion=0.1.0 /DDistDir=<dist\CodeAtlas> /DIconFile=<resources\icons\codeatlas.ico>
;        /O<dist> /FCodeAtlas-0.1.0-windows-x64-setup packaging\windows\codeatlas.iss
; No administrator rights: installs under %LOCALAPPDATA%\Programs ({autopf} in non-admin mode).

#ifndef AppVersion
  #error Pass the version from pyproject.toml: iscc /DAppVersion=X.Y.Z
#endif
#ifndef DistDir
  #define DistDir "..\..\dist\CodeAtlas"
#endif
#ifndef IconFile
  #define IconFile "..\..\resources\icons\codeatlas.ico"
#endif
#define AppName "CodeAtlas"
#define AppExe "CodeAtlas.exe"

[Setup]
; AppId identifies the program for upgrades and the uninstaller: never change it.
AppId={{6F0C2B1E-7A43-4C2E-9B8D-3C1A5E2F9D10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
