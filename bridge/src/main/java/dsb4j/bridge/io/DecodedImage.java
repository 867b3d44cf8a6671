package dsb4j.bridge.io;

/**
 * One decoded image, planar (channel, row, column) like the folder's final array, in the most compact form
 * that loses nothing: 8-bit samples as bytes, 16-bit samples as shorts. A folder's images wait in this form
 * until all are decoded and their common size and channel count are known, at a quarter of the memory floats
 * would take. {@code channels} is 1 (grey) or 3 (colour); alpha has been dropped already.
 */
record DecodedImage(int width, int height, int channels, byte[] samples8, short[] samples16) {

    DecodedImage {
        if ((samples8 == null) == (samples16 == null)) throw new IllegalArgumentException("DecodedImage: exactly one of 8- or 16-bit samples");
        int length = samples8 != null ? samples8.length : samples16.length;
        if (length != (long) channels * height * width)
            throw new IllegalArgumentException("DecodedImage: " + length + " samples for " + channels + "×" + height + "×" + width);
    }

    static DecodedImage of8(int width, int height, int channels, byte[] samples) {
        return new DecodedImage(width, height, channels, samples, null);
    }

    static DecodedImage of16(int width, int height, int channels, short[] samples) {
        return new DecodedImage(width, height, channels, null, samples);
    }

    /** Bytes held while waiting for the rest of the folder. */
    long bytes() { return samples8 != null ? samples8.length : 2L * samples16.length; }

    /**
     * Writes the samples as floats 0…255 to {@code out[at …]} with {@code outChannels} channels: a grey image
     * asked for 3 channels is replicated into each. 16-bit samples become v/257, so 65535 maps to 255.
     */
    void copyTo(float[] out, int at, int outChannels) {
        int plane = width * height;
        for (int c = 0; c < outChannels; c++) {
            int from = channels == 1 ? 0 : c * plane, to = at + c * plane;
            if (samples8 != null) {
                for (int i = 0; i < plane; i++) out[to + i] = samples8[from + i] & 0xFF;
            } else {
                for (int i = 0; i < plane; i++) out[to + i] = (samples16[from + i] & 0xFFFF) / 257f;
            }
        }
    }
}
