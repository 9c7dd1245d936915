; Werkbrug for Windows: per-user installer (no administrator rights), Inno Setup 6.
;
; Built by build.ps1 next to this file, which first builds dist\werkbrug with PyInstaller and then runs
;   ISCC.exe /Qp /DAppVersion=<version from pyproject.toml> /DSourceDir=<repo>\dist\werkbrug /DOutputDir=<repo>\dist werkbrug.iss
; The version is never written here: pyproject.toml is the one place for it.
;
; Installs into %LOCALAPPDATA%\Programs\Werkbrug with a Start-menu shortcut. The user's database, its
; backups and the log live in %LOCALAPPDATA%\Werkbrug; the uninstaller keeps them unless the user
; answers "Ja" to its question (a silent uninstall always keeps them).

#ifndef AppVersion
  #error AppVersion is not defined: run build.ps1, or pass /DAppVersion=x.y.z to ISCC
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\werkbrug"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#define AppExe "werkbrug.exe"

[Setup]
; Never change the AppId: it ties upgrades and the uninstaller to earlier installations.
AppId={{25006C18-6F12-4027-998E-388B1B80DFE7}
AppName=Werkbrug
AppVersion={#AppVersion}
AppVerName=Werkbrug {#AppVersion}
AppPublisher=Werkbrug
AppComments=Van tewerkstellingscel naar knelpuntberoep
VersionInfoTextVersion={#AppVersion}
PrivilegesRequired=lowest
DefaultDirName={autopf}\Werkbrug
DefaultGroupName=Werkbrug
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=Werkbrug-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\werkbrug.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName=Werkbrug {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
ShowLanguageDialog=auto

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[CustomMessages]
dutch.AppComment=Van tewerkstellingscel naar knelpuntberoep: intake, competenties, matching en trajectplan
french.AppComment=De la cellule pour l'emploi au métier en pénurie : accueil, compétences, matching et plan de trajet
dutch.DeleteUserData=Wil je ook je Werkbrug-gegevens verwijderen (de database, de reservekopieën en het logboek)?%n%n%1%n%nKies Nee om ze te bewaren, bijvoorbeeld voor een nieuwe installatie.
french.DeleteUserData=Voulez-vous aussi supprimer vos données Werkbrug (la base de données, les copies de sauvegarde et le journal) ?%n%n%1%n%nChoisissez Non pour les conserver, par exemple pour une nouvelle installation.
dutch.UserDataKept=Je Werkbrug-gegevens zijn bewaard in %1.
french.UserDataKept=Vos données Werkbrug sont conservées dans %1.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; an upgrade replaces the program files completely (no modules of an older version left behind)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Werkbrug"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"
Name: "{autodesktop}\Werkbrug"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,Werkbrug}"; Flags: nowait postinstall skipifsilent

[Code]
function UserDataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\Werkbrug');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := UserDataDir();
    if DirExists(DataDir) then
    begin
      { the default answer (and the answer of a silent uninstall) is No: keep the data }
      if SuppressibleMsgBox(FmtMessage(CustomMessage('DeleteUserData'), [DataDir]),
                            mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES then
        DelTree(DataDir, True, True, True)
      else if not UninstallSilent() then
        MsgBox(FmtMessage(CustomMessage('UserDataKept'), [DataDir]), mbInformation, MB_OK);
    end;
  end;
end;
