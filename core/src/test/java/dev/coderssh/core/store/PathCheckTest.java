package dev.coderssh.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property tests of the path checks every trusted directory and the CLI go through: random kinds,
 * modes, symlinks and (as root, which CI is) owners, each compared with the rule written out.
 */
class PathCheckTest {
    static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    static final PosixFilePermission[] BITS = PosixFilePermission.values();
    @TempDir
    Path tmp;

    private static Set<PosixFilePermission> mode(Random random) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : BITS) {
            if (random.nextBoolean()) {
                perms.add(p);
            }
        }
        perms.add(PosixFilePermission.OWNER_READ);
        perms.add(PosixFilePermission.OWNER_WRITE);
        perms.add(PosixFilePermission.OWNER_EXECUTE);
        return perms;
    }

    private static boolean othersWrite(Set<PosixFilePermission> perms) {
        return perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE);
    }

    private static void giveAway(Path p) throws Exception {
        Files.setOwner(p, p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    }

    @Test
    void refusalMatchesTheRuleForRandomPaths() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            boolean dir = random.nextBoolean();
            boolean askDir = random.nextInt(4) != 0 ? dir : !dir;
            boolean link = random.nextInt(5) == 0;
            boolean foreign = ROOT && random.nextInt(4) == 0;
            boolean rootMayOwn = random.nextBoolean();
            Set<PosixFilePermission> perms = mode(random);
            Path real = tmp.resolve("p" + i);
            if (dir) {
                Files.createDirectory(real);
            } else {
                Files.writeString(real, "x");
            }
            Files.setPosixFilePermissions(real, perms);
            if (foreign) {
                giveAway(real);
            }
            Path path = real;
            if (link) {
                path = Files.createSymbolicLink(tmp.resolve("l" + i), real);
            }
            boolean expectRefused = link || askDir != dir || foreign || (rootMayOwn && othersWrite(perms));
            String why = PathCheck.refusal(path, askDir, rootMayOwn);
            assertThat(why != null).as("case %d: dir=%s askDir=%s link=%s foreign=%s rootMayOwn=%s mode=%s -> %s", i, dir,
                    askDir, link, foreign, rootMayOwn, PosixFilePermissions.toString(perms), why).isEqualTo(expectRefused);
        }
    }

    @Test
    void aPathOfAnotherUserIsRefusedAndRootsOnlyWhereAllowed() {
        // Not root: /usr is another user's (root's); as root it is ours, and nobody's /tmp entry
        // above covers "another user".
        Path usr = Path.of("/usr");
        if (!ROOT) {
            assertThat(PathCheck.refusal(usr, true, false)).contains("belongs to root");
        }
        assertThat(PathCheck.refusal(usr, true, true)).isNull();
        assertThat(PathCheck.refusal(Path.of("/tmp"), true, true)).contains("other users can write");
    }

    @Test
    void ensurePrivateDirRefusesOrRepairsByTheRule() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 200; i++) {
            Set<PosixFilePermission> perms = mode(random);
            boolean link = random.nextInt(6) == 0;
            boolean foreign = ROOT && random.nextInt(5) == 0;
            Path real = Files.createDirectory(tmp.resolve("d" + i));
            Files.setPosixFilePermissions(real, perms);
            if (foreign) {
                giveAway(real);
            }
            Path dir = link ? Files.createSymbolicLink(tmp.resolve("dl" + i), real) : real;
            ByteArrayOutputStream warnings = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(warnings, true, StandardCharsets.UTF_8);
            String what = "case " + i + " link=" + link + " foreign=" + foreign + " mode=" + PosixFilePermissions.toString(perms);
            if (link || foreign) {
                assertThatThrownBy(() -> SecureFiles.ensurePrivateDir(dir, out)).as(what).isInstanceOf(CoderSshException.class)
                        .hasMessageStartingWith("refusing to use " + dir);
                assertThat(Files.getPosixFilePermissions(real, LinkOption.NOFOLLOW_LINKS)).as(what).isEqualTo(perms);
            } else {
                SecureFiles.ensurePrivateDir(dir, out);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as(what).isEqualTo("rwx------");
                assertThat(warnings.size() > 0).as(what).isEqualTo(!perms.equals(PosixFilePermissions.fromString("rwx------")));
            }
        }
    }

    @Test
    void missingDirectoriesAreCreatedOwnerOnlyWhateverTheUmask() throws Exception {
        Path deep = tmp.resolve("a/b/c");
        SecureFiles.ensurePrivateDir(deep, new PrintStream(new ByteArrayOutputStream()));
        for (Path p = deep; !p.equals(tmp); p = p.getParent()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString()).isEqualTo("rwx------");
        }
    }

    @Test
    void theStateRootOthersCanWriteIsRefusedNotRepaired() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwx---"));
        assertThatThrownBy(() -> SecureFiles.checkRoot(root)).hasMessageContaining("writable by other users");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        SecureFiles.checkRoot(root);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
    }

    @Test
    void aPrivateFileOfAnotherUserIsNotRead() throws Exception {
        Path file = Files.writeString(tmp.resolve("creds.json"), "{}");
        assertThat(SecureFiles.readPrivate(file, new PrintStream(new ByteArrayOutputStream()))).isNotNull();
        if (ROOT) {
            giveAway(file);
            assertThatThrownBy(() -> SecureFiles.readPrivate(file, new PrintStream(new ByteArrayOutputStream())))
                    .hasMessageContaining("belongs to nobody");
        }
        // A FIFO planted as the file would block the read forever: refused before it.
        Path fifo = tmp.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> SecureFiles.readPrivate(fifo, new PrintStream(new ByteArrayOutputStream())))
                        .hasMessageContaining("not a regular file"));
    }
}
