package dev.coderssh.core.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Whether a path another local user could have written or replaced may be trusted: not a symlink,
 * the expected kind, owned by us (or, for what a system install may provide, root), and not
 * writable by group or others. One rule for every directory under the state root and for the CLI
 * we execute (SECURITY.md, "Local attackers").
 */
public final class PathCheck {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PathCheck() {
    }

    /** Why {@code path} must not be trusted as our directory (or file), or null when it may be. */
    public static String refusal(Path path, boolean directory) {
        return refusal(path, directory, false);
    }

    /**
     * As {@link #refusal(Path, boolean)}; {@code rootMayOwn}: a root-owned path is ours too (a CLI
     * from a package), and group or others' write access is refused rather than repairable.
     */
    public static String refusal(Path path, boolean directory, boolean rootMayOwn) {
        try {
            if (Files.isSymbolicLink(path)) {
                return "it is a symbolic link";
            }
            if (directory ? !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                    : !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                return directory ? "it is not a directory" : "it is not a regular file";
            }
            if (!POSIX) {
                return null;
            }
            UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
            if (Me.USER != null && !owner.equals(Me.USER) && !(rootMayOwn && "root".equals(owner.getName()))) {
                return "it belongs to " + owner.getName() + ", not to you";
            }
            if (rootMayOwn) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
                if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                    return "other users can write to it";
                }
            }
            return null;
        } catch (IOException e) {
            return SecureFiles.describe(e);
        }
    }

    /**
     * Why a directory another user could write, or replace, lies on the way to {@code realDir}:
     * {@code realDir} itself or one above it up to the root that is not root's or ours, or that
     * group or others may write (OpenSSH's safe_path, issue 19), except a root-owned sticky
     * directory such as /tmp (see rootsStickyDirectory). The answer names the directory; null when there is none. {@code realDir} must
     * hold no symlinks ({@link Path#toRealPath}).
     */
    public static String ancestorRefusal(Path realDir) {
        for (Path d = realDir; d != null; d = d.getParent()) {
            if (rootsStickyDirectory(d)) {
                continue;
            }
            String why = refusal(d, true, true);
            if (why != null) {
                return "the directory " + d + ": " + why;
            }
        }
        return null;
    }

    /**
     * A root-owned sticky directory such as /tmp: others may write to it, but not rename or remove
     * what is ours below it, and everything below must be ours or root's, so it may lie on the way.
     */
    private static boolean rootsStickyDirectory(Path d) {
        try {
            Object mode = Files.getAttribute(d, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & 01000) != 0 && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)
                    && "root".equals(Files.getOwner(d, LinkOption.NOFOLLOW_LINKS).getName());
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** This process's user: the owner of /proc/self where there is one (user.name can lie). */
    private static final class Me {
        static final UserPrincipal USER = find();

        private static UserPrincipal find() {
            try {
                Path self = Path.of("/proc/self");
                if (Files.exists(self)) {
                    return Files.getOwner(self);
                }
                return FileSystems.getDefault().getUserPrincipalLookupService()
                        .lookupPrincipalByName(System.getProperty("user.name"));
            } catch (IOException | UnsupportedOperationException e) {
                return null;
            }
        }
    }
}
