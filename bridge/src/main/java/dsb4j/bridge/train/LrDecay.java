package dsb4j.bridge.train;

import dsb4j.engine.Choice;
import dsb4j.nn.optim.LrSchedule;

/** The learning rate within a half-step: constant, or cosine decay from lr to lr/100 (fresh every half-step). */
public enum LrDecay implements Choice {
    CONSTANT("constant"), COSINE("cosine");

    private final String word;

    LrDecay(String word) { this.word = word; }

    @Override public String word() { return word; }

    /** The rates of a half-step of {@code iters} optimiser steps starting at {@code lr}. */
    public LrSchedule schedule(double lr, int iters) {
        return this == COSINE ? LrSchedule.cosine(lr, lr / 100, iters) : LrSchedule.constant(lr);
    }

    public static LrDecay parse(String word) {
        return Choice.parse(LrDecay.class, "--lr-schedule", word);
    }

    @Override public String toString() { return word; }
}
