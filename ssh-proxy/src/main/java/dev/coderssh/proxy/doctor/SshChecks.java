package dev.coderssh.proxy.doctor;

import java.util.Locale;

/** The two checks that only need the local ssh client. Pure over {@link SshProbe}'s text. */
final class SshChecks {
    private SshChecks() {
    }

    static Outcome client(SshProbe ssh) {
        String v = ssh.version();
        if (v == null) {
            return Outcome.fail("no working ssh client", "install OpenSSH (apt-get install openssh-client)");
        }
        String line = v.strip().split("\n", 2)[0];
        int[] ver = openSshVersion(line);
        if (ver != null && (ver[0] < 7 || ver[0] == 7 && ver[1] < 8)) {
            return Outcome.fail(line, "OpenSSH older than 7.8 mishandles SetEnv: upgrade the ssh client");
        }
        return Outcome.pass(line);
    }

    /** "OpenSSH_9.2p1 Debian..." gives {9, 2}; anything else null. */
    static int[] openSshVersion(String line) {
        int at = line.indexOf("OpenSSH_");
        if (at < 0) {
            return null;
        }
        int i = at + 8;
        int major = 0;
        int minor = 0;
        int dot = line.indexOf('.', i);
        try {
            major = Integer.parseInt(line.substring(i, dot));
            int end = dot + 1;
            while (end < line.length() && Character.isDigit(line.charAt(end))) {
                end++;
            }
            minor = Integer.parseInt(line.substring(dot + 1, end));
        } catch (RuntimeException e) {
            return null;
        }
        return new int[] {major, minor};
    }

    /**
     * Asks ssh which ProxyCommand it would really use for a probe host: that catches a missing
     * config-ssh block and a {@code Host *} or earlier block that shadows it (vscode-coder#1055).
     */
    static Outcome config(SshProbe ssh, String host, String url, String configFile) {
        String cfg = ssh.effectiveConfig(host);
        if (cfg == null) {
            return Outcome.fail("ssh -G " + host + " failed", configFile == null
                    ? "check ~/.ssh/config for syntax errors (ssh -G " + host + ")"
                    : "check " + configFile + " for syntax errors (ssh -F " + shellWord(configFile) + " -G " + host + ")");
        }
        String proxy = null;
        for (String line : cfg.split("\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("proxycommand ")) {
                proxy = line.substring("proxycommand ".length()).strip();
            }
        }
        if (proxy == null || proxy.equals("none")) {
            // Name the file this check read: config-ssh writes ~/.ssh/config unless told another.
            return Outcome.fail("no ProxyCommand for " + host + (configFile == null ? " in ~/.ssh/config" : " in " + configFile),
                    configFile == null
                            ? "run `coder-ssh config-ssh " + url + "` (if config-ssh wrote another file, check that one:"
                            + " `coder-ssh doctor " + url + " --ssh-config-file FILE`)"
                            : "run `coder-ssh config-ssh " + url + " --ssh-config-file " + shellWord(configFile) + "`");
        }
        if (!proxy.contains("coder-ssh") || !proxy.contains(" proxy ")) {
            return Outcome.fail("ssh would use another ProxyCommand for " + host + ": " + proxy,
                    "an earlier Host/Match block (e.g. `Host *`) shadows ours: move it below the coder-ssh block");
        }
        return Outcome.pass("ssh uses coder-ssh for " + host);
    }

    /** {@code path} as one POSIX shell word, so the fix can be pasted as it is. */
    static String shellWord(String path) {
        if (path.matches("[A-Za-z0-9_./~:@%+=,-]+")) {
            return path;
        }
        return "'" + path.replace("'", "'\\''").replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
