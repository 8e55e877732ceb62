#include "keel_plugin.h"
