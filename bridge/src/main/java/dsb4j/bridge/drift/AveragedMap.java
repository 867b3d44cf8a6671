package dsb4j.bridge.drift;

import dsb4j.engine.Tensor;
import java.util.List;

/**
 * Several fits of one direction's transitions used as one: the kernel mean is the average of theirs (so the
 * drift is the average drift), the noise stays the reference's. Independent fits (e.g. runs with different
 * seeds) err in different directions, and the average cancels part of that error: on the 2-D benchmark the
 * split of mass between the two moons is the error that dominates W2, and it varies from seed to seed.
 */
public final class AveragedMap implements TransitionMap {
    private final List<TransitionMap> maps;

    public AveragedMap(List<? extends TransitionMap> maps) {
        if (maps.isEmpty()) throw new IllegalArgumentException("AveragedMap: no maps to average");
        Direction d = maps.getFirst().direction();
        for (TransitionMap m : maps)
            if (m.direction() != d) throw new IllegalArgumentException("AveragedMap: maps of both directions (" + d.word() + " and " + m.direction().word() + ")");
        this.maps = List.copyOf(maps);
    }

    @Override public Direction direction() { return maps.getFirst().direction(); }

    @Override public Tensor mean(Tensor x, int step) {
        Tensor sum = maps.getFirst().mean(x, step);
        for (int i = 1; i < maps.size(); i++) sum = sum.add(maps.get(i).mean(x, step));
        return maps.size() == 1 ? sum : sum.mul(1.0 / maps.size());
    }
}
