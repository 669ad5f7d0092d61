@echo off
rem coder-ssh launcher for Windows: runs the shaded jar built by the ssh-proxy module.
setlocal
set "ROOT=%~dp0.."
rem A release (the windows zip) has lib\coder-ssh.jar next to bin\; a clone has ssh-proxy\target\.
set "JAR=%ROOT%\ssh-proxy\target\coder-ssh.jar"
if exist "%ROOT%\lib\coder-ssh.jar" set "JAR=%ROOT%\lib\coder-ssh.jar"
if defined CODER_SSH_JAR set "JAR=%CODER_SSH_JAR%"
if not exist "%JAR%" (
  echo coder-ssh: %JAR% is missing; build it with: mvn -B -q -DskipTests package 1>&2
  exit /b 1
)
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
if exist "%ROOT%\runtime\bin\java.exe" set "JAVA=%ROOT%\runtime\bin\java.exe"
rem Windows cannot exec: the JVM stays for the session, so keep its heap small.
"%JAVA%" -Xmx16m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=error:stderr -cp "%JAR%" dev.coderssh.app.Main %*
exit /b %ERRORLEVEL%
