package dsb4j.bridge.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A folder of PNG or JPEG images as one (n, C, H, W) array of 8-bit values 0…255 as floats.
 *
 * <p>Which files: the folder's regular files, sorted by name (String order, the same on every machine);
 * sub-folders and names starting with '.' (.DS_Store, editors' files) are ignored; .png, .jpg and .jpeg
 * (any case) are images; any other file is an error, since a stray file in a data folder is more often a
 * mistake than intended. Which decoder is chosen by the content, not the name: PNG with our own
 * {@link PngDecoder}, JPEG with javax.imageio when the runtime has java.desktop.
 *
 * <p>All images must have one size. Grey images give C = 1, colour C = 3; alpha is dropped (not composited).
 * A folder mixing grey and colour becomes C = 3 with the grey replicated, and {@link Images#note} says so.
 * Files are decoded in parallel; the first problem in file order is reported, so errors are deterministic.
 */
public final class ImageFolder {
    private ImageFolder() {}

    /**
     * n images of C × H × W, row-major (image, channel, row, column), values 0…255; {@code files} are the
     * file names in the order of the images; {@code note} is a line for the user (a mixed folder) or null.
     */
    public record Images(int n, int channels, int height, int width, float[] pixels, List<String> files, String note) {
        public Images {
            if ((long) n * channels * height * width != pixels.length)
                throw new IllegalArgumentException("Images: " + pixels.length + " values for " + n + "×" + channels + "×" + height + "×" + width);
            if (files.size() != n) throw new IllegalArgumentException("Images: " + files.size() + " file names for " + n + " images");
        }

        public Images(int n, int channels, int height, int width, float[] pixels, List<String> files) {
            this(n, channels, height, width, pixels, files, null);
        }
    }

    /** Whether javax.imageio can be used here; a jlink runtime may lack the module. */
    static final boolean DESKTOP = ModuleLayer.boot().findModule("java.desktop").isPresent();

    private static final String WHICH = "an image folder holds .png, .jpg or .jpeg files only; sub-folders are ignored";

    public static Images read(Path dir) throws IOException { return read(dir, DESKTOP); }

    /** {@code desktop} false behaves as a runtime without java.desktop would, for tests. */
    static Images read(Path dir, boolean desktop) throws IOException {
        List<Path> files = imageFiles(dir);
        int n = files.size();
        DecodedImage[] images = new DecodedImage[n];
        IOException[] errors = new IOException[n];
        // The first image alone: it fixes the size every other must have, and the memory check can run before the rest
        DecodedImage first = images[0] = decode(files.get(0), desktop);
        long values = Math.multiplyExact((long) n, (long) first.channels() * first.height() * first.width());
        long floats = HeapCheck.floatBytes(dir, values, n + " images of " + first.channels() + "×" + first.height() + "×" + first.width());
        HeapCheck.require(dir, Math.addExact(Math.multiplyExact(first.bytes(), (long) n), floats),
                HeapCheck.count(n) + " images of " + first.channels() + "×" + first.height() + "×" + first.width());

        AtomicBoolean failed = new AtomicBoolean();
        IntStream.range(1, n).parallel().forEach(i -> {
            if (failed.get()) return;                   // stop early; the ordered pass below decodes what was skipped
            try {
                images[i] = checked(decode(files.get(i), desktop), first, files.get(i), files.get(0));
            } catch (IOException e) {
                errors[i] = e;
                failed.set(true);
            } catch (RuntimeException e) {
                errors[i] = new IOException(files.get(i) + ": could not be decoded (" + e + ")", e);
                failed.set(true);
            }
        });
        int grey = 0;
        for (int i = 0; i < n; i++) {                   // in file order, so the first bad file is the one named
            if (errors[i] != null) throw errors[i];
            if (images[i] == null) images[i] = checked(decode(files.get(i), desktop), first, files.get(i), files.get(0));
            if (images[i].channels() == 1) grey++;
        }

        int channels = grey == n ? 1 : 3;
        String note = null;
        if (grey > 0 && grey < n) {
            note = String.format(Locale.ROOT, "%s: %d of the %d images are grey and %d colour; all were read as colour (3 channels, grey replicated)",
                    dir, grey, n, n - grey);
            values = Math.multiplyExact((long) n, (long) channels * first.height() * first.width());
            floats = HeapCheck.floatBytes(dir, values, n + " images of 3×" + first.height() + "×" + first.width());
            HeapCheck.require(dir, floats, HeapCheck.count(n) + " images of 3×" + first.height() + "×" + first.width());
        }
        float[] pixels = new float[(int) values];
        int per = channels * first.height() * first.width();
        IntStream.range(0, n).parallel().forEach(i -> {
            images[i].copyTo(pixels, i * per, channels);
            images[i] = null;                           // let the compact copy go as soon as it is spent
        });
        List<String> names = new ArrayList<>(n);
        for (Path f : files) names.add(f.getFileName().toString());
        return new Images(n, channels, first.height(), first.width(), pixels, List.copyOf(names), note);
    }

    /**
     * The folder's image files, sorted by name, by the rules of the class comment: the same list that
     * {@link FileIdentity} hashes. Refuses a folder holding other files, or no images.
     */
    static List<Path> imageFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) throw new IOException(dir + ": no such folder");
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": not a folder (an image folder is a folder of .png, .jpg or .jpeg files)");
        List<Path> all;
        try (Stream<Path> s = Files.list(dir)) {
            all = new ArrayList<>(s.toList());
        } catch (NoSuchFileException e) {
            throw new IOException(dir + ": no such folder", e);
        }
        all.sort(Comparator.comparing(p -> p.getFileName().toString()));
        List<Path> images = new ArrayList<>(all.size());
        for (Path p : all) {
            String name = p.getFileName().toString();
            if (name.startsWith(".")) continue;
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class);   // follows links: a link to an image is an image
            } catch (IOException e) {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);   // a dangling link
            }
            if (a.isDirectory() || a.isOther()) continue;
            if (a.isSymbolicLink()) throw new IOException(p + ": a link to a file that does not exist");
            if (!a.isRegularFile() || !isImageName(name))
                throw new IOException(p + ": not a PNG or JPEG image (" + WHICH + ")");
            images.add(p);
        }
        if (images.isEmpty()) throw new IOException(dir + ": no images in the folder (" + WHICH + ")");
        return images;
    }

    static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    /** The biggest single image file read: far beyond any image a bridge trains on, far below an array's limit. */
    private static final long MAX_FILE = 1L << 30;

    /** One file, by its content: PNG signature → our decoder, JPEG's FF D8 FF → javax.imageio. */
    static DecodedImage decode(Path file, boolean desktop) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE) throw new IOException(file + ": an image file of " + HeapCheck.size(size) + " is too large to read");
        byte[] b = Files.readAllBytes(file);
        if (b.length == 0) throw new IOException(file + ": an empty file, not an image");
        if (PngDecoder.isPng(b)) return PngDecoder.decode(file, b);
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            if (!desktop)
                throw new IOException(file + ": reading JPEG needs a Java runtime with the java.desktop module (javax.imageio), "
                        + "which this one lacks; PNG reads without it, so convert the images to PNG or run on a full JDK");
            return ImageIoDecoder.decode(file, b, "JPEG");
        }
        throw new IOException(file + ": neither a PNG nor a JPEG image (its first bytes are neither signature; a damaged or misnamed file?)");
    }

    /** The image if it has the first image's size, else the error that names both files. */
    private static DecodedImage checked(DecodedImage img, DecodedImage first, Path file, Path firstFile) throws IOException {
        if (img.width() != first.width() || img.height() != first.height())
            throw new IOException(file + ": " + img.width() + "×" + img.height() + ", but " + firstFile + " is "
                    + first.width() + "×" + first.height() + "; all images of a folder must have one size");
        return img;
    }
}
