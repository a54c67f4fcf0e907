import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Removes the native libraries of other platforms from the jars of a folder, in place, and fails
 * if any remain. The build already picks the OS classifier of ND4J, OpenBLAS, JavaCPP and JavaFX;
 * this catches fat jars that carry every platform (JNA does: AIX, macOS, Windows, ARM, ...).
 *
 * <pre>java installer/tools/StripForeignNatives.java LIB_DIR linux-x86_64|windows-x86_64|macosx-x86_64|macosx-arm64</pre>
 */
public class StripForeignNatives {

    static final Pattern NATIVE = Pattern.compile(".*\\.(so(\\.[0-9.]+)?|dll|dylib|jnilib|a)$");

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        String platform = args[1];
        List<Path> jars;
        try (Stream<Path> s = Files.list(dir)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        long removedBytes = 0;
        List<String> left = new ArrayList<>();
        for (Path jar : jars) {
            List<String> foreign = new ArrayList<>();
            try (ZipFile z = new ZipFile(jar.toFile())) {
                z.stream().filter(e -> !e.isDirectory() && NATIVE.matcher(e.getName()).matches())
                        .filter(e -> !isFor(e.getName(), platform)).forEach(e -> foreign.add(e.getName()));
                if (foreign.isEmpty()) {
                    continue;
                }
                Path tmp = Files.createTempFile(dir, "strip", ".jar");
                try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(os)) {
                    for (ZipEntry e : z.stream().toList()) {
                        if (foreign.contains(e.getName())) {
                            removedBytes += e.getSize();
                            continue;
                        }
                        ZipEntry copy = new ZipEntry(e.getName());
                        copy.setTime(e.getTime());
                        out.putNextEntry(copy);
                        try (InputStream in = z.getInputStream(e)) {
                            in.transferTo(out);
                        }
                        out.closeEntry();
                    }
                }
                Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
            }
            System.out.println("stripped " + foreign.size() + " foreign native libraries from " + jar.getFileName());
        }
        // the check: every native library left must be for the target platform
        for (Path jar : jars) {
            try (ZipFile z = new ZipFile(jar.toFile())) {
                z.stream().filter(e -> NATIVE.matcher(e.getName()).matches() && !isFor(e.getName(), platform))
                        .forEach(e -> left.add(jar.getFileName() + "!" + e.getName()));
            }
        }
        System.out.printf("natives: %d KB of other platforms removed; target %s%n", removedBytes / 1024, platform);
        if (!left.isEmpty()) {
            System.err.println("native libraries of other platforms remain: " + left);
            System.exit(1);
        }
    }

    /**
     * A native entry is for the target if its path names the target OS (in any of the spellings
     * libraries use) and, when it names an architecture, the target's. Entries that name no OS at
     * all (JavaFX keeps its .so files at the jar root, in a per-OS jar) are accepted.
     */
    static boolean isFor(String path, String platform) {
        String p = path.toLowerCase(Locale.ROOT);
        String os = platform.substring(0, platform.indexOf('-'));
        String arch = platform.substring(platform.indexOf('-') + 1);
        String[][] osNames = {{"linux"}, {"windows", "win32", "win-"}, {"macosx", "darwin", "mac-", "osx"},
                {"aix"}, {"freebsd"}, {"openbsd"}, {"sunos", "solaris"}, {"android"}, {"ios-"}};
        boolean namesAnyOs = false;
        boolean namesTarget = false;
        for (String[] names : osNames) {
            for (String n : names) {
                if (p.contains(n)) {
                    namesAnyOs = true;
                    namesTarget |= names[0].equals(os);
                }
            }
        }
        if (!namesAnyOs) {
            return true;
        }
        if (!namesTarget) {
            return false;
        }
        boolean x64 = arch.equals("x86_64");
        boolean namesX64 = p.matches(".*(x86[-_]64|amd64|x64).*");
        boolean namesArm64 = p.matches(".*(aarch64|arm64).*");
        boolean namesOtherArch = p.matches(".*(ppc|s390|arm(?!64)|armhf|mips|riscv|x86(?![-_]64)|i386).*");
        if (x64) {
            return namesX64 || !(namesArm64 || namesOtherArch);
        }
        return namesArm64 || !(namesX64 || namesOtherArch);
    }
}
