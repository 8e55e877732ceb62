// ISA-L (Intel's Intelligent Storage Acceleration Library), from Debian's libisal-dev:
// Reed-Solomon erasure coding for the `erasure` DA provider.
#include <isa-l/erasure_code.h>
