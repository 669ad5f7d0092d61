@echo off
rem coder-ssh launcher for Windows: runs the shaded jar built by the ssh-proxy module.
setlocal
set "ROOT=%~dp0.."
if defined CODER_SSH_JAR (set "JAR=%CODER_SSH_JAR%") else (set "JAR=%ROOT%\ssh-proxy\target\coder-ssh.jar")
if not exist "%JAR%" (
  echo coder-ssh: %JAR% is missing; build it with: mvn -B -q -DskipTests package 1>&2
  exit /b 1
)
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
rem Windows cannot exec: the JVM stays for the session, so keep its heap small.
"%JAVA%" -Xmx16m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=error:stderr -cp "%JAR%" dev.coderssh.app.Main %*
exit /b %ERRORLEVEL%
