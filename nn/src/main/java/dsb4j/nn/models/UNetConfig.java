package dsb4j.nn.models;

import java.util.Arrays;

/**
 * The shape of a {@link UNet}. {@code channelMult[i]·modelChannels} channels at level i (resolution halved per
 * level), {@code resBlocks} residual blocks per level on the way down (one more on the way up), self-attention
 * after the blocks of the levels whose down-sampling factor is in {@code attentionDs} (1, 2, 4, ...) and
 * always in the middle block. GroupNorm with {@code groups} groups everywhere (every channel count must
 * divide). {@code scaleShift}: the time embedding modulates as h·(1+scale)+shift (FiLM) rather than h+e.
 * The time input is multiplied by {@code timeScale} before the sinusoid. Output channels = input channels.
 */
public record UNetConfig(int inChannels, int modelChannels, int[] channelMult, int resBlocks, int[] attentionDs,
                         int heads, int groups, double dropout, boolean scaleShift, double timeScale) {

    public UNetConfig {
        channelMult = channelMult.clone();
        attentionDs = attentionDs.clone();
        if (inChannels < 1 || modelChannels < 1 || resBlocks < 1 || heads < 1 || groups < 1 || channelMult.length == 0)
            throw new IllegalArgumentException("UNetConfig: bad sizes " + describe(inChannels, modelChannels, channelMult, resBlocks, heads, groups));
        for (int m : channelMult) if (m < 1) throw new IllegalArgumentException("UNetConfig: channel multipliers must be positive: " + Arrays.toString(channelMult));
        if (modelChannels % groups != 0)
            throw new IllegalArgumentException("UNetConfig: " + modelChannels + " channels do not split into " + groups + " groups");
        for (int m : channelMult)
            if ((m * modelChannels) % heads != 0 || (m * modelChannels) % groups != 0)
                throw new IllegalArgumentException("UNetConfig: level width " + m * modelChannels + " must divide into "
                        + heads + " heads and " + groups + " groups");
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("UNetConfig: dropout must be in [0, 1), got " + dropout);
    }

    /**
     * The default for 28×28 on a small CPU: 32 channels, multipliers (1, 2, 2), one residual block per level,
     * middle attention with one head, 8 groups, FiLM conditioning, no dropout.
     */
    public static UNetConfig small28() {
        return new UNetConfig(1, 32, new int[]{1, 2, 2}, 1, new int[0], 1, 8, 0.0, true, 1.0);
    }

    /** A quarter of the default's cost (16 channels) for smoke tests and quick CPU runs; else as {@link #small28()}. */
    public static UNetConfig tiny28() {
        return new UNetConfig(1, 16, new int[]{1, 2, 2}, 1, new int[0], 1, 8, 0.0, true, 1.0);
    }

    /** A named configuration: small28 (the default), tiny28, reference28, reference32 (3 channels). */
    public static UNetConfig named(String name) {
        return switch (name) {
            case "small28" -> small28();
            case "tiny28" -> tiny28();
            case "reference28" -> reference28();
            case "reference32" -> reference32(3);
            default -> throw new IllegalArgumentException("unknown U-Net configuration '" + name
                    + "' (known: small28, tiny28, reference28, reference32)");
        };
    }

    /** The reference's MNIST network: 64 channels, (1, 2, 2), two blocks, 4 heads, 32 groups, FiLM, middle attention only. */
    public static UNetConfig reference28() {
        return new UNetConfig(1, 64, new int[]{1, 2, 2}, 2, new int[0], 4, 32, 0.0, true, 1.0);
    }

    /** The reference's choice for 32×32 images: as {@link #reference28()} with multipliers (1, 2, 2, 2). */
    public static UNetConfig reference32(int channels) {
        return new UNetConfig(channels, 64, new int[]{1, 2, 2, 2}, 2, new int[0], 4, 32, 0.0, true, 1.0);
    }

    /**
     * A U-Net for images of {@code channels} × {@code height} × {@code width} at one of three widths: "tiny" (16
     * channels, as {@link #tiny28()}), "small" (32, as {@link #small28()}) or "reference" (64 channels, two blocks,
     * four heads, 32 groups, as {@link #reference28()}). The levels (channel multipliers 1, 2, 2, 2 cut to their
     * number) are as many as the sides allow: {@link #levelsFor}. For 1×28×28 this is exactly the named *28 net.
     */
    public static UNetConfig forImage(String size, int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1)
            throw new IllegalArgumentException("UNetConfig.forImage: bad image size " + channels + "×" + height + "×" + width);
        int[] mult = Arrays.copyOf(new int[]{1, 2, 2, 2}, levelsFor(height, width));
        return switch (size) {
            case "tiny" -> new UNetConfig(channels, 16, mult, 1, new int[0], 1, 8, 0.0, true, 1.0);
            case "small" -> new UNetConfig(channels, 32, mult, 1, new int[0], 1, 8, 0.0, true, 1.0);
            case "reference" -> new UNetConfig(channels, 64, mult, 2, new int[0], 4, 32, 0.0, true, 1.0);
            default -> throw new IllegalArgumentException("unknown U-Net size '" + size + "' (known: tiny, small, reference)");
        };
    }

    /**
     * Resolution levels for an image of {@code height} × {@code width}: 4 (down-sampling by 8) when both sides divide
     * by 8 and are at least 32, the reference's choice for 32×32; else 3 (by 4) when both divide by 4 and are at least
     * 12 (28×28: the reference's MNIST net); else 2 when both are even; else 1 (no down-sampling).
     */
    public static int levelsFor(int height, int width) {
        int min = Math.min(height, width);
        if (height % 8 == 0 && width % 8 == 0 && min >= 32) return 4;
        if (height % 4 == 0 && width % 4 == 0 && min >= 12) return 3;
        if (height % 2 == 0 && width % 2 == 0) return 2;
        return 1;
    }

    public UNetConfig withInChannels(int c) {
        return new UNetConfig(c, modelChannels, channelMult, resBlocks, attentionDs, heads, groups, dropout, scaleShift, timeScale);
    }

    public UNetConfig withTimeScale(double s) {
        return new UNetConfig(inChannels, modelChannels, channelMult, resBlocks, attentionDs, heads, groups, dropout, scaleShift, s);
    }

    @Override public int[] channelMult() { return channelMult.clone(); }
    @Override public int[] attentionDs() { return attentionDs.clone(); }

    boolean attentionAt(int ds) {
        for (int a : attentionDs) if (a == ds) return true;
        return false;
    }

    private static String describe(int in, int mc, int[] mult, int blocks, int heads, int groups) {
        return "in=" + in + " channels=" + mc + " mult=" + Arrays.toString(mult) + " blocks=" + blocks + " heads=" + heads + " groups=" + groups;
    }

    @Override public String toString() {
        return "UNetConfig[in=" + inChannels + ", channels=" + modelChannels + ", mult=" + Arrays.toString(channelMult)
                + ", blocks=" + resBlocks + ", attention=" + Arrays.toString(attentionDs) + "+middle, heads=" + heads
                + ", groups=" + groups + ", dropout=" + dropout + ", scaleShift=" + scaleShift + ", timeScale=" + timeScale + "]";
    }
}
