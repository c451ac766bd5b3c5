// SPDX-License-Identifier: GPL-2.0
/*
 * rdpdr_exports.c - the wire library's functions, exported to the KUnit
 * module only.
 *
 * The library's sources are shared with userspace and carry no kernel
 * annotations; the exports live here instead. Without CONFIG_KUNIT this
 * file exports nothing.
 */
#include <linux/export.h>
#include <kunit/visibility.h>

#include <rdpdr/rdpdr.h>

EXPORT_SYMBOL_IF_KUNIT(rdpdr_err_format);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_str_check);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_str_to_utf8);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_utf8_to_utf16);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_hdr);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_pdu_known);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_pdu_name);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_hdr);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_announce);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_announce);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_client_name);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_client_name);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_caps);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_caps);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_caps_find);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_server_caps_init);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_devlist);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_devlist_iter_init);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_devlist_next);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_devlist);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_dos_name_valid);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_printer);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_printer_data);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_device_reply);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_device_reply);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_devlist_remove);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_remove_id);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_devlist_remove);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_ioreq);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_create_req);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_write_req);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_write_req_hdr);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_close_req);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_printer_create_init);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_create_req);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_write_req);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_close_req);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_iocompletion);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_create_rsp);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_write_rsp);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_close_rsp);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_create_rsp);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_write_rsp);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_close_rsp);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_using_xps);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_using_xps);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_parse_cache_data);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_build_cache_data);
EXPORT_SYMBOL_IF_KUNIT(rdpdr_describe);
