# A stand-in for the Vivado Tcl commands board/zynq.tcl uses, for test/board/zynq-tcl.int.test.ts: run with
# `yosys -c` (yosys embeds Tcl 8.6; Vivado is not available here). Each command checks what it can (cells exist
# before their pins are named, pin names are those of the IP's documented ports as listed below, connections have
# two ends) and appends one line to $::env(STUB_LOG). It checks the script's consistency and control flow, not
# Vivado's behaviour: nothing here builds hardware.
set ::stub_log [open $::env(STUB_LOG) w]
proc log {args} { puts $::stub_log [join $args " "]; flush $::stub_log }
set ::cells [dict create]
set ::runs_dir [file join $::env(STUB_RUNS) impl_1]
# pins (nets and interfaces) of the IP types the script instantiates (PG021 axi_dma, PG164 proc_sys_reset, PG247
# smartconnect, PG085 axis_subset_converter, processing_system7 / zynq_ultra_ps_e, the HLS IP's ap_clk/ap_rst_n/in_r/out_r)
set ::pins [dict create \
  processing_system7 {FCLK_CLK0 FCLK_RESET0_N M_AXI_GP0 S_AXI_HP0 M_AXI_GP0_ACLK S_AXI_HP0_ACLK DDR FIXED_IO} \
  zynq_ultra_ps_e {pl_clk0 pl_resetn0 M_AXI_HPM0_FPD S_AXI_HP0_FPD maxihpm0_fpd_aclk saxihp0_fpd_aclk} \
  proc_sys_reset {slowest_sync_clk ext_reset_in peripheral_aresetn interconnect_aresetn} \
  axi_dma {s_axi_lite_aclk m_axi_mm2s_aclk m_axi_s2mm_aclk axi_resetn S_AXI_LITE M_AXI_MM2S M_AXI_S2MM M_AXIS_MM2S S_AXIS_S2MM} \
  smartconnect {aclk aresetn S00_AXI S01_AXI M00_AXI} \
  axis_subset_converter {aclk aresetn S_AXIS M_AXIS} \
  hls {ap_clk ap_rst_n in_r out_r}]

proc ip_type {vlnv} {
  set parts [split $vlnv :]
  if {[lindex $parts 0] eq "cosearch.org"} { return hls }
  return [lindex $parts 2]
}
proc pin {path} {
  lassign [split $path /] cell p
  if {![dict exists $::cells $cell]} { error "stub: pin $path of a cell not created (yet)" }
  set t [dict get $::cells $cell]
  if {$p eq "*"} { return [lmap x [dict get $::pins $t] {string cat $cell/$x}] }
  if {[lsearch -exact [dict get $::pins $t] $p] < 0} { error "stub: $t has no pin $p ($path)" }
  if {$t eq "hls" && [info exists ::env(STUB_NO_IN_R)] && $p eq "in_r"} { return "" }
  return $path
}

proc create_project {args} { log create_project {*}$args }
proc set_property {args} { log set_property {*}$args }
proc current_project {args} { return prj }
proc current_fileset {args} { return sources_1 }
proc update_ip_catalog {args} { log update_ip_catalog }
proc get_ipdefs {args} { log get_ipdefs {*}$args; return [lindex $args end] }
proc create_bd_design {name} { log create_bd_design $name; set ::bd $name }
proc create_bd_cell {args} {
  set vlnv [lindex $args [expr {[lsearch $args -vlnv] + 1}]]
  set name [lindex $args end]
  if {[dict exists $::cells $name]} { error "stub: cell $name created twice" }
  dict set ::cells $name [ip_type $vlnv]
  log create_bd_cell $vlnv $name
  return $name
}
proc apply_bd_automation {args} { log apply_bd_automation {*}$args }
proc get_bd_cells {args} { return [lindex $args end] }
proc get_bd_pins {path} { return [pin $path] }
proc get_bd_intf_pins {path} { return [pin $path] }
proc connect_bd_net {args} {
  if {[llength $args] < 2} { error "stub: connect_bd_net needs two ends: $args" }
  foreach a $args { if {$a eq ""} { error "stub: connect_bd_net with an empty end: $args" } }
  log connect_bd_net {*}$args
}
proc connect_bd_intf_net {args} {
  if {[llength $args] != 2 || [lindex $args 0] eq "" || [lindex $args 1] eq ""} { error "stub: connect_bd_intf_net needs two ends: $args" }
  log connect_bd_intf_net {*}$args
}
proc assign_bd_address {args} { log assign_bd_address }
proc validate_bd_design {args} { log validate_bd_design }
proc save_bd_design {args} { log save_bd_design }
proc make_wrapper {args} { log make_wrapper {*}$args }
proc update_compile_order {args} { log update_compile_order {*}$args }
proc get_files {args} {
  if {[lsearch $args *.hwh] >= 0} { return [list $::env(STUB_HWH)] }
  return [lindex $args end]
}
proc get_runs {name} { return $name }
proc launch_runs {args} {
  log launch_runs {*}$args
  file mkdir $::runs_dir
  set f [open [file join $::runs_dir ${::bd}_wrapper.bit] w]; puts $f "bitstream of $::bd"; close $f
}
proc wait_on_run {args} { log wait_on_run {*}$args }
proc get_property {name obj} {
  switch -- $name {
    PROGRESS { return "100%" }
    DIRECTORY { return $::runs_dir }
    SLACK { return $::env(STUB_WNS) }
    default { error "stub: get_property $name" }
  }
}
proc open_run {args} { log open_run {*}$args }
proc report_utilization {args} { log report_utilization {*}$args }
proc report_timing_summary {args} { log report_timing_summary {*}$args }
proc get_timing_paths {args} { return path }

if {[catch {source $::env(STUB_SCRIPT)} msg]} {
  log ERROR $msg
  close $::stub_log
  puts stderr "ERROR: $msg"
  exit 1
}
log DONE
close $::stub_log
