# Tutorial 003's upload client ("利用模块struct解决粘包的问题"): its sending half, with its lost line breaks restored.
# The tutorial leaves out what it assumes, so the lines up to "import json,struct" supply it: a connected socket named
# conn, and the file's bytes in 文件内容 (read from standard input here). Its header describes a made-up file,
# {'file_size':1073741824000,'file_name':'/a/b/c/d/e/a.txt','md5':'8f6fbf8347faa4924a76856701edb0f3'}; here the same
# three fields describe the file sent: its size, its name (a name: the server refuses a path) and its MD5.
import socket

import hashlib

import sys

conn = socket.socket()

conn.connect(("127.0.0.1",8088))

文件内容 = sys.stdin.buffer.read()

import json,struct
#假设通过客户端上传1T:1073741824000的文件a.txt
#为避免粘包,必须自定制报头
header={'file_size':len(文件内容),'file_name':'a.txt','md5':hashlib.md5(文件内容).hexdigest()} #1T数据,文件路径和md5值

#为了该报头能传送,需要序列化并且转为bytes
head_bytes=bytes(json.dumps(header),encoding='utf-8') #序列化并转成bytes,用于传输

#为了让客户端知道报头的长度,用struck将报头长度这个数字转成固定长度:4个字节
head_len_bytes=struct.pack('i',len(head_bytes)) #这4个字节里只包含了一个数字,该数字是报头的长度

#客户端开始发送
conn.send(head_len_bytes) #先发报头的长度,4个bytes
conn.send(head_bytes) #再发报头的字节格式
conn.sendall(文件内容) #然后发真实内容的字节格式
