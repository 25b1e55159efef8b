// Imported first by local entry points: the SDK warns about Node 20 support once per process at load time.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
