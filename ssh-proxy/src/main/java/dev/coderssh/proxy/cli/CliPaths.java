package dev.coderssh.proxy.cli;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.home.CoderSshHome;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a deployment's CLI lives: {@code <home>/cli/<fileKey>/coder[.exe]}, its ETag beside it, and
 * the {@code --global-config} dir that keeps the CLI's own session file away from the user's
 * {@code ~/.config/coderv2}.
 */
public record CliPaths(Path dir, Path binary, Path etag, Path globalConfig) {

    public static CliPaths of(CoderSshHome home, DeploymentUrl deployment) {
        Path dir = home.cli().resolve(deployment.fileKey());
        String exe = windows() ? "coder.exe" : "coder";
        return new CliPaths(dir, dir.resolve(exe), dir.resolve(exe + ".etag"), dir.resolve("config"));
    }

    static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** The server path of the matching binary, e.g. {@code /bin/coder-linux-amd64}. */
    public static String downloadPath() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String goos = os.startsWith("windows") ? "windows" : os.startsWith("mac") || os.contains("darwin") ? "darwin" : "linux";
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String goarch;
        switch (arch) {
            case "amd64":
            case "x86_64":
                goarch = "amd64";
                break;
            case "aarch64":
            case "arm64":
                goarch = "arm64";
                break;
            case "arm":
                goarch = "armv7";
                break;
            default:
                goarch = arch;
        }
        return "/bin/coder-" + goos + "-" + goarch + (goos.equals("windows") ? ".exe" : "");
    }
}
