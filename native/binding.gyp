{
  "targets": [
    {
      "target_name": "featureflow_native",
      "sources": ["src/addon.c", "src/linalg.c", "src/mlp.c", "src/net.c", "src/net_layers.c", "src/quadratic.c", "src/two_layer.c", "src/fdlibm_exp.c", "src/sigmoid_row.c", "src/budget.c"],
      "cflags_c": ["-std=c11", "-O3", "-march=native", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-l<!(node -p \"process.env.FEATUREFLOW_OPENBLAS_LIB || 'openblas'\")"]
    }
  ]
}
