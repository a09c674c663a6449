// placeholder replaced when the WASM core lands
