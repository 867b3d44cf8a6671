package dsb4j.bridge.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a data file or image folder was, recorded with a run so that a later resume or evaluation can tell
 * whether it is given the same data: the absolute path, the size and a SHA-256 of the content.
 *
 * <p>A folder's identity covers exactly the files {@link ImageFolder} reads (same filter, same order): for
 * each, its name (UTF-8), a 0 byte, its length as 8 big-endian bytes, then the SHA-256 of its content (so the
 * files are hashed in parallel: tens of thousands of small images cost a second, not several). Names are in the
 * hash so that renaming or reordering images changes it; lengths keep file boundaries unambiguous. {@code bytes}
 * is the sum of the image files' sizes.
 */
public record FileIdentity(String path, long bytes, String sha256) {

    public FileIdentity {
        if (path == null || sha256 == null) throw new IllegalArgumentException("FileIdentity: path and sha256 must be given");
        if (bytes < 0) throw new IllegalArgumentException("FileIdentity: negative size " + bytes);
    }

    /** Read in 1 MB steps: large enough that hashing, not reading, sets the pace. */
    private static final int BUFFER = 1 << 20;

    /** The identity of a file, or of an image folder (its image files only). */
    public static FileIdentity of(Path fileOrFolder) throws IOException {
        Path abs = fileOrFolder.toAbsolutePath().normalize();
        MessageDigest sha = newDigest();
        byte[] buf = new byte[BUFFER];
        long bytes;
        if (Files.isDirectory(abs)) {
            List<Path> files = ImageFolder.imageFiles(fileOrFolder);
            long[] sizes = new long[files.size()];
            byte[][] digests = new byte[files.size()][];
            IOException[] failed = new IOException[files.size()];
            java.util.stream.IntStream.range(0, files.size()).parallel().forEach(i -> {
                try {
                    Path f = files.get(i);
                    MessageDigest own = newDigest();
                    sizes[i] = Files.size(f);
                    long read = digest(f, own, new byte[(int) Math.min(BUFFER, Math.max(1, sizes[i]))]);
                    if (read != sizes[i]) throw new IOException(f + ": changed while being read (" + sizes[i] + " bytes, then " + read + ")");
                    digests[i] = own.digest();
                } catch (IOException e) {
                    failed[i] = e;
                }
            });
            bytes = 0;
            for (int i = 0; i < files.size(); i++) {
                if (failed[i] != null) throw failed[i];
                sha.update(files.get(i).getFileName().toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                for (int k = 7; k >= 0; k--) sha.update((byte) (sizes[i] >>> (8 * k)));
                sha.update(digests[i]);
                bytes += sizes[i];
            }
        } else {
            if (!Files.exists(abs)) throw new IOException(fileOrFolder + ": no such file or folder");
            bytes = digest(fileOrFolder, sha, buf);
        }
        return new FileIdentity(abs.toString(), bytes, HexFormat.of().formatHex(sha.digest()));
    }

    /** Keys "path", "bytes", "sha256", in that order, for config files and run records. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("bytes", bytes);
        m.put("sha256", sha256);
        return m;
    }

    /** The inverse of {@link #toMap}; "bytes" may be any number type a JSON reader gives. */
    public static FileIdentity fromMap(Map<String, ?> m) {
        if (!(m.get("path") instanceof String path)) throw new IllegalArgumentException("FileIdentity.fromMap: no string 'path' in " + m);
        if (!(m.get("bytes") instanceof Number bytes)) throw new IllegalArgumentException("FileIdentity.fromMap: no number 'bytes' in " + m);
        if (!(m.get("sha256") instanceof String sha)) throw new IllegalArgumentException("FileIdentity.fromMap: no string 'sha256' in " + m);
        return new FileIdentity(path, bytes.longValue(), sha);
    }

    private static long digest(Path file, MessageDigest sha, byte[] buf) throws IOException {
        long total = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                total += n;
            }
        } catch (IOException e) {
            throw new IOException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return total;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
