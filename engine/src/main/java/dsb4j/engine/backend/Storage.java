package dsb4j.engine.backend;

import dsb4j.engine.tensor.DType;

/** A backend's flat buffer of elements: a heap array, a native segment or a device pointer. Opaque above the SPI. */
public interface Storage {
    Backend backend();
    DType dtype();
    /** Number of elements. */
    int size();
}
