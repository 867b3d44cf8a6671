package dsb4j.bridge.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Run by {@link ImageFolderTest} in a JVM started with {@code --limit-modules java.base}, as a jlink runtime
 * without java.desktop would be: reads each folder given and prints one line per folder, then whether
 * java.desktop was there.
 */
public final class NoDesktopCheck {
    private NoDesktopCheck() {}

    public static void main(String[] args) {
        for (String dir : args) {
            try {
                ImageFolder.Images im = ImageFolder.read(Path.of(dir));
                System.out.println("ok " + im.n() + " " + im.channels() + " " + im.height() + " " + im.width() + " " + im.pixels()[1]);
            } catch (IOException e) {
                System.out.println("error " + e.getMessage());
            }
        }
        System.out.println("desktop " + ModuleLayer.boot().findModule("java.desktop").isPresent());
    }
}
