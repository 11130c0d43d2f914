"""E-waybills (电子面单): numbers, sort codes and print data taken ahead from the
WeChat Shop, SF Express (丰桥) and KDNiao (快递鸟), so the bench packs offline."""
