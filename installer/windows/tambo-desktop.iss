; Inno Setup 6 script of TAMBO Desktop: installs the PyInstaller one-folder bundle.
;
; The version is never written here: the build passes it with /DAppVersion, read from
; tambo_desktop/__about__.py by installer/app_version.py. From the repository root (Windows):
;
;   PowerShell:
;     .venv\Scripts\python -m PyInstaller installer\tambo-desktop.spec --distpath dist --workpath build\pyinstaller --noconfirm
;     $version = .venv\Scripts\python installer\app_version.py
;     & "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" "/DAppVersion=$version" installer\windows\tambo-desktop.iss
;
;   cmd.exe:
;     for /f %%v in ('.venv\Scripts\python installer\app_version.py') do iscc /DAppVersion=%%v installer\windows\tambo-desktop.iss
;     (type %v instead of %%v outside a .bat file)
;
; Optional defines: /DBundleDir=<folder holding tambo-desktop.exe> (default: dist\tambo-desktop next to
; the repository root), /DOutputDir=<folder for the setup .exe> (default: dist).
; Output: dist\tambo-desktop-<version>-setup.exe
;
; The tambo's data (database, backups, logs) lives in %LOCALAPPDATA%\PAIS\tambo-desktop, outside {app}:
; uninstalling or upgrading never touches it.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (see the comment at the top of this file)
#endif
#ifndef BundleDir
  #define BundleDir AddBackslash(SourcePath) + "..\..\dist\tambo-desktop"
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\..\dist"
#endif
#if !FileExists(AddBackslash(BundleDir) + "tambo-desktop.exe")
  #error The PyInstaller bundle is missing: build installer\tambo-desktop.spec first (or pass /DBundleDir)
#endif

#define AppName "TAMBO Desktop"
#define AppExe "tambo-desktop.exe"
#define AppIcon AddBackslash(SourcePath) + "..\..\resources\icons\tambo-desktop.ico"

[Setup]
; AppId identifies the product for upgrades and uninstall: never change it.
AppId={{BA0C2FBA-4754-4BEF-9C98-F4B7771C445C}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Programa PAIS (MIDIS)
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; For all users by default; the dialog also offers a per-user install without administrator rights.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 or later.
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=tambo-desktop-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; Close a running TAMBO Desktop before replacing its files.
CloseApplications=yes
#if FileExists(AppIcon)
SetupIconFile={#AppIcon}
#endif

[Languages]
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the whole bundle: no stale library of an older version may stay behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole one-folder bundle: tambo-desktop.exe (windowed), tambo-cli.exe (console, for the verbs
; demo/check/import/export) and _internal\ (Python, Qt, resources, catalogs).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "La aplicación de oficina del tambo"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
