package dsb4j.bridge.train;

import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.DriftNet;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.Module;
import dsb4j.nn.optim.Adam;
import dsb4j.nn.optim.Ema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything a run needs to continue: both networks and their EMA copies, the optimiser of the half-step in
 * progress, where the loop stands (the next step to run) and the metrics rows so far. Random state needs no
 * saving: every seed derives from (config seed, IPF iteration, direction, step).
 */
public final class TrainState {
    public int ipf = 1;
    public Direction direction = Direction.BACKWARD;
    public int step = 0;
    /** The running loss window of the half-step in progress. */
    public final HalfBridgeTrainer.LossWindow lossWindow = new HalfBridgeTrainer.LossWindow();
    public final List<Map<String, Object>> metrics = new ArrayList<>();

    DriftNet backward, forward;
    Ema backwardEma, forwardEma;
    Adam adam;

    /** Where the loop stands: the next step to run is {@code step} of half-step (ipf, dir). */
    void at(int ipf, Direction dir, int step) {
        if (step == 0) lossWindow.reset();
        this.ipf = ipf;
        this.direction = dir;
        this.step = step;
    }

    /** A new half-step: re-initialise the network (unless warm-started), a fresh EMA and a fresh Adam. */
    void beginHalfStep(int n, Direction dir, TrainConfig c, Backend backend, DType dtype) {
        DriftNet net = net(dir);
        if (net == null || !c.warmStart) {
            Module m = Networks.create(c, backend, dtype, new Rng(c.seed).fork(n, dir.ordinal(), 0));
            net = new DriftNet(m, dir, c.parameterisation);
            setNet(dir, net);
            setEma(dir, c.emaRate > 0 ? new Ema(m, c.emaRate) : null);
        } else if (c.emaRate > 0 && ema(dir) == null) {
            setEma(dir, new Ema(net.module(), c.emaRate));
        }
        adam = new Adam(net.module().parameters(), c.lr, 0.9, 0.999, 1e-8, 0);
        at(n, dir, 0);
    }

    public DriftNet net(Direction dir) { return dir == Direction.BACKWARD ? backward : forward; }

    public Ema ema(Direction dir) { return dir == Direction.BACKWARD ? backwardEma : forwardEma; }

    /** The map used to simulate this direction's chains: the EMA copy when EMA is on. */
    public DriftNet simulator(Direction dir) {
        DriftNet net = net(dir);
        Ema ema = ema(dir);
        return ema == null ? net : net.over(ema.shadow());
    }

    void setNet(Direction dir, DriftNet n) { if (dir == Direction.BACKWARD) backward = n; else forward = n; }

    void setEma(Direction dir, Ema e) { if (dir == Direction.BACKWARD) backwardEma = e; else forwardEma = e; }
}
