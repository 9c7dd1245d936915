<#
.SYNOPSIS
    Build Werkbrug for Windows: the application folder (PyInstaller) and the per-user installer (Inno Setup 6).

.DESCRIPTION
    Run on a Windows machine with Python 3.11+ (python.org or "py" launcher) and Inno Setup 6, from anywhere:

        powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1

    Steps: create .venv if needed, install Werkbrug with its "dist" extra (PyInstaller), build dist\werkbrug
    from installer\werkbrug.spec, run the self-test of the built program, and compile werkbrug.iss with the
    version from pyproject.toml. Result: dist\Werkbrug-<version>-setup.exe

.PARAMETER Python
    The Python used to create .venv (default: "py -3.11" when the launcher exists, else "python").
.PARAMETER Iscc
    Path to ISCC.exe (default: found on PATH or in the usual Inno Setup 6 folders).
.PARAMETER Clean
    Empty PyInstaller's cache (build\pyinstaller) first.
.PARAMETER NoInstaller
    Stop after the application folder and its self-test.
#>
param(
    [string]$Python = "",
    [string]$Iscc = "",
    [switch]$Clean,
    [switch]$NoInstaller
)
$ErrorActionPreference = "Stop"
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $Root

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

# 1. virtual environment with Werkbrug and PyInstaller
$Py = Join-Path $Root ".venv\Scripts\python.exe"
if (-not (Test-Path $Py)) {
    if ($Python) { $base = $Python -split " " }
    elseif (Get-Command py -ErrorAction SilentlyContinue) { $base = @("py", "-3.11") }
    else { $base = @("python") }
    Invoke-Checked $base[0] (@($base | Select-Object -Skip 1) + @("-m", "venv", ".venv"))
}
Invoke-Checked $Py @("-m", "pip", "install", "-q", "--upgrade", "pip")
Invoke-Checked $Py @("-m", "pip", "install", "-q", "-c", "constraints.txt", "-e", ".[dist]")
& $Py -m PyInstaller --version | Out-Null
if ($LASTEXITCODE -ne 0) { throw "PyInstaller is missing: the 'dist' extra of pyproject.toml must list it" }

# 2. the application folder dist\werkbrug (same spec as on Linux)
$Version = (& $Py -c "import sys; sys.path.insert(0, 'installer'); import bundle; print(bundle.read_version())").Trim()
$buildArgs = @("installer\build.py")
if ($Clean) { $buildArgs += "--clean" }
Invoke-Checked $Py $buildArgs

# 3. self-test of the built program (a windowed program: its output goes to a report file)
$report = Join-Path $Root "build\selftest.txt"
$proc = Start-Process -FilePath (Join-Path $Root "dist\werkbrug\werkbrug.exe") `
    -ArgumentList @("self-test", "--rapport", "`"$report`"") -WorkingDirectory $Root -Wait -PassThru -NoNewWindow
Get-Content $report
if ($proc.ExitCode -ne 0) { throw "the self-test of dist\werkbrug failed (exit code $($proc.ExitCode))" }
if ($NoInstaller) { return }

# 4. the installer
if (-not $Iscc) {
    $candidates = @(
        (Get-Command ISCC.exe -ErrorAction SilentlyContinue | Select-Object -ExpandProperty Source),
        "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
        "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
        "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
    ) | Where-Object { $_ -and (Test-Path $_) }
    if (-not $candidates) { throw "ISCC.exe (Inno Setup 6) not found: install it or pass -Iscc <path>" }
    $Iscc = @($candidates)[0]
}
Invoke-Checked $Iscc @("/Qp", "/DAppVersion=$Version", "/DSourceDir=$Root\dist\werkbrug", "/DOutputDir=$Root\dist",
                       (Join-Path $PSScriptRoot "werkbrug.iss"))
Write-Host "Installer: $Root\dist\Werkbrug-$Version-setup.exe"
