package dev.coderssh.proxy;

import dev.coderssh.core.home.CoderSshHome;
import dev.coderssh.core.store.SecureFiles;
import dev.coderssh.proxy.cli.CliPaths;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * After a {@code chmod -R 777} of the state, restricting a directory to 0700 is not enough: what
 * others could write in it meanwhile is code we would run (the class-data archive, the downloaded
 * CLI). Such files are discarded when their directory is repaired, and are made again (issue 19).
 */
final class StateRepair {
    private static final boolean POSIX = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private StateRepair() {
    }

    /**
     * Checks the state root, repairs the directories under it that exist, and discards the
     * class-data archives in cache/ when it was open to others.
     */
    static void cache(CoderSshHome home, PrintStream err) throws IOException {
        SecureFiles.checkRoot(home.root());
        for (Path dir : new Path[] {home.credentials(), home.logs(), home.locks(), home.sessions(), home.root().resolve("clients")}) {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                SecureFiles.ensurePrivateDir(dir, err);
            }
        }
        // Only a cache/ that is a directory of ours is repaired; any other is never trusted (the launcher
        // checks it too) and costs no connection: it only disables the plan cache and the archive.
        Path cache = home.cache();
        try {
            if (!Files.isDirectory(cache, LinkOption.NOFOLLOW_LINKS) || !SecureFiles.ensurePrivateDir(cache, err)) {
                return;
            }
        } catch (dev.coderssh.core.CoderSshException e) {
            return;
        }
        try (DirectoryStream<Path> archives = Files.newDirectoryStream(cache, "cds*")) {
            for (Path a : archives) {
                Files.deleteIfExists(a);
            }
        }
        err.println("coder-ssh: warning: discarded the class-data archive in " + cache
                + ", which other users could write; the next connection records it again");
    }

    /**
     * Repairs the CLI's directories; discards the downloaded CLI (so it is downloaded again) when
     * they, or the binary itself, were writable by others.
     */
    static void cli(CoderSshHome home, CliPaths paths, PrintStream err) throws IOException {
        boolean repaired = SecureFiles.ensurePrivateDir(home.cli(), err);
        repaired |= SecureFiles.ensurePrivateDir(paths.dir(), err);
        if (!POSIX || !Files.isRegularFile(paths.binary(), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(paths.binary(), LinkOption.NOFOLLOW_LINKS);
        if (repaired || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            Files.deleteIfExists(paths.binary());
            Files.deleteIfExists(paths.etag());
            err.println("coder-ssh: warning: discarded the downloaded Coder CLI in " + paths.dir()
                    + ", which other users could write; downloading it again");
        }
    }
}
